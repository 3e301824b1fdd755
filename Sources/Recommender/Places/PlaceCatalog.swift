import Foundation

/// One version of the place catalog: the places by id, read by the serving path to decorate recommendations.
public struct PlaceCatalog: Sendable, Equatable {
    /// The version, e.g. `20261201T033000Z-3f2a9c1d` (creation time and content hash).
    public var version: String
    /// The places by id.
    public private(set) var places: [String: CatalogPlace]

    /// A catalog of `places` (ids must be unique; the last one wins otherwise).
    public init(version: String, places: [CatalogPlace]) {
        self.version = version
        self.places = Dictionary(places.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The place with `id`, if the catalog has it.
    public subscript(id: String) -> CatalogPlace? { places[id] }

    /// How many places.
    public var count: Int { places.count }

    /// One place per line, in id order (the stored form: diffable and streamable).
    public func jsonLines() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var data = Data()
        for id in places.keys.sorted() {
            data.append(try encoder.encode(places[id]))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// Reads the stored form.
    public static func decode(version: String, jsonLines data: Data) throws -> PlaceCatalog {
        let decoder = JSONDecoder()
        let places = try data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map {
            try decoder.decode(CatalogPlace.self, from: Data($0))
        }
        return PlaceCatalog(version: version, places: places)
    }
}
