import Foundation

/// Reads a place catalog file: `id,name,lat,lon[,category,…]` as CSV (RFC 4180) or TSV, extra columns kept as
/// attributes.
///
/// Strict where events are lenient: a catalog is one consistent whole, so any bad row (a latitude outside
/// -90…90, a duplicate id) fails the import with every problem and its line number, and nothing is stored.
public enum PlaceFileReader {
    /// Problems listed before the rest are only counted.
    public static let problemsShown = 20

    /// The places of `path`, or an error listing the bad rows by line.
    public static func read(path: String) throws -> [CatalogPlace] {
        let source: ByteChunkSource
        do {
            source = try ByteChunkSource(path: path)
        } catch {
            throw PlaceCatalogError(error.description)
        }
        guard let first = try source.peek() else { throw PlaceCatalogError("\(path) is empty") }
        let firstLine = first.prefix { $0 != 0x0A && $0 != 0x0D }
        let separator = UInt8(ascii: firstLine.contains(UInt8(ascii: "\t")) ? "\t" : ",")
        var records = DelimitedRecordReader(source: source, separator: .byte(separator))
        guard let header = try records.next() else { throw PlaceCatalogError("\(path) is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ aliases: [String]) -> Int? { names.firstIndex { aliases.contains($0) } }
        guard let id = column(["id", "place", "place_id", "itemid", "item_id", "item"]),
            let name = column(["name", "title"]),
            let lat = column(["lat", "latitude"]),
            let lon = column(["lon", "lng", "long", "longitude"])
        else {
            throw PlaceCatalogError(
                "\(path): the header must name id, name, lat and lon columns (id,name,lat,lon[,category,…]); found "
                    + names.prefix(8).joined(separator: ","))
        }
        let category = column(["category", "type", "kind"])
        let named = Set([id, name, lat, lon] + (category.map { [$0] } ?? []))
        var places: [CatalogPlace] = []
        var lineOf: [String: Int] = [:]
        var problems: [String] = []
        while let record = try records.next() {
            func field(_ index: Int) -> String {
                index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
            }
            func problem(_ text: String) { problems.append("line \(record.line): \(text)") }
            if let trouble = record.problem {
                problem(trouble)
                continue
            }
            let placeId = field(id)
            guard RideEvent.isAcceptableId(placeId) else {
                problem("id must be 1-\(RideEvent.maximumIdLength) printable characters without control characters")
                continue
            }
            if let earlier = lineOf[placeId] {
                problem("id \"\(placeId)\" is already on line \(earlier)")
                continue
            }
            let placeName = field(name)
            guard !placeName.isEmpty, placeName.utf8.count <= 256 else {
                problem("name must be 1-256 bytes")
                continue
            }
            guard let latitude = Double(field(lat)), latitude.isFinite, (-90...90).contains(latitude) else {
                problem("lat \"\(field(lat))\" must be a number from -90 to 90")
                continue
            }
            guard let longitude = Double(field(lon)), longitude.isFinite, (-180...180).contains(longitude) else {
                problem("lon \"\(field(lon))\" must be a number from -180 to 180")
                continue
            }
            var attributes: [String: String] = [:]
            for (index, key) in names.enumerated() where !named.contains(index) && !key.isEmpty {
                let value = field(index)
                if !value.isEmpty { attributes[key] = value }
            }
            lineOf[placeId] = record.line
            places.append(
                CatalogPlace(
                    id: placeId, name: placeName, lat: latitude, lon: longitude,
                    category: category.map(field).flatMap { $0.isEmpty ? nil : $0 },
                    attributes: attributes.isEmpty ? nil : attributes))
        }
        guard problems.isEmpty else {
            var lines = problems.prefix(problemsShown).map { "\(path): \($0)" }
            if problems.count > problemsShown { lines.append("… and \(problems.count - problemsShown) more") }
            throw PlaceCatalogError(
                "\(problems.count) bad row\(problems.count == 1 ? "" : "s"), nothing imported:\n"
                    + lines.joined(separator: "\n"))
        }
        guard !places.isEmpty else { throw PlaceCatalogError("\(path) has a header but no places") }
        return places
    }
}
