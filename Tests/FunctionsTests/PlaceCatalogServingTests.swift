import Foundation
import FunctionRuntime
import Recommender
import Storage
import Testing

/// Recommendations carry what a rider app shows: the catalog's name, coordinates and category, and the distance
/// from the rider when the request gives a position.
@Suite("serving: place catalog display fields and distance")
struct PlaceCatalogServingTests {
    /// Lisbon's Praça do Comércio; the simulated places lie within about 5 km of the city centre.
    static let position = #""position":{"lat":38.7075,"lon":-9.1364}"#

    static func fixtureWithCatalog() async throws -> (HandlerFixture, [CatalogPlace]) {
        let fixture = try HandlerFixture()
        try await TrainAndModelsTests.seed(fixture)
        var configuration = RideWorldConfiguration()
        configuration.riders = 80
        configuration.places = 40
        configuration.days = 14
        let catalog = try RideWorld(configuration: configuration).catalog()
        // One place left out: an answer may name places the catalog does not know, with the plain fields.
        try await PlaceCatalogStore(store: fixture.store).publish(Array(catalog.dropFirst()))
        #expect(try await fixture.call("train", body: #"{"tune":false}"#).status == 200)
        await fixture.refresh()
        return (fixture, catalog)
    }

    @Test func answersCarryTheCatalogsFieldsAndTheDistance() async throws {
        let (fixture, catalog) = try await Self.fixtureWithCatalog()
        let byId = Dictionary(uniqueKeysWithValues: catalog.map { ($0.id, $0) })
        let response = try await fixture.call(
            "recommend", body: #"{"userId":"rider-0001","limit":40,\#(Self.position)}"#)
        #expect(response.status == 200)
        let items = try #require(try fixture.json(response)["recommendations"] as? [[String: Any]])
        #expect(items.count > 10)
        for item in items {
            let id = try #require(item["itemId"] as? String)
            if id == catalog[0].id {
                #expect(item["name"] == nil && item["distanceKm"] == nil, "a place missing from the catalog")
                continue
            }
            let place = try #require(byId[id])
            #expect(item["name"] as? String == place.name)
            #expect(item["lat"] as? Double == place.lat)
            #expect(item["lon"] as? Double == place.lon)
            #expect(item["category"] as? String == place.category)
            let distance = try #require(item["distanceKm"] as? Double)
            #expect(abs(distance - Self.haversine(38.7075, -9.1364, place.lat, place.lon)) < 0.001)
        }
        let without = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"rider-0001"}"#))
        let plain = try #require((without["recommendations"] as? [[String: Any]])?.first)
        #expect(plain["distanceKm"] == nil, "no position, no distance")
        #expect(plain["itemId"] != nil)
    }

    /// An independent formula (the spherical law of cosines), so the test does not repeat the code under test.
    static func haversine(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = Double.pi / 180
        let cosine = sin(lat1 * r) * sin(lat2 * r) + cos(lat1 * r) * cos(lat2 * r) * cos((lon2 - lon1) * r)
        return 6371.0088 * acos(min(1, cosine))
    }

    @Test func knownDistances() {
        // Lisbon to Porto, about 274 km; a point to itself, 0.
        let lisbonPorto = CatalogPlace.distanceKm(lat1: 38.7223, lon1: -9.1393, lat2: 41.1579, lon2: -8.6291)
        #expect(abs(lisbonPorto - 274.0) < 2)
        #expect(CatalogPlace.distanceKm(lat1: 10, lon1: 20, lat2: 10, lon2: 20) == 0)
        #expect(abs(CatalogPlace.distanceKm(lat1: 0, lon1: -179.9, lat2: 0, lon2: 179.9) - 22.239) < 0.01)
    }

    @Test(arguments: [
        (#""position":{"lat":91,"lon":0}"#, "position.lat must be between -90 and 90"),
        (#""position":{"lat":0,"lon":-180.5}"#, "position.lon must be between -180 and 180"),
        (#""position":{"lat":"north","lon":0}"#, "position"),
        (#""position":{"lon":0}"#, "lat"),
        (#""position":[38,9]"#, "position"),
    ])
    func badPositionsAre400(position: String, message: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("recommend", body: #"{"userId":"u",\#(position)}"#)
        #expect(response.status == 400)
        let error = try #require(try fixture.json(response)["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_argument")
        #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
    }

    @Test func aNewCatalogVersionIsPickedUpOnRefreshAndVersionsStayImmutable() async throws {
        let (fixture, catalog) = try await Self.fixtureWithCatalog()
        let catalogs = PlaceCatalogStore(store: fixture.store)
        let first = try #require(try await catalogs.pointer()).0
        var renamed = catalog
        for index in renamed.indices { renamed[index].name = "Renamed \(index)" }
        let second = try await catalogs.publish(renamed, now: Date(timeIntervalSince1970: 1_790_000_000))
        #expect(second.version != first.version)
        #expect(try await catalogs.load(first).count == catalog.count - 1, "the old version is still readable")
        let before = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"rider-0002"}"#))
        let beforeNames = (before["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(!beforeNames.contains { $0.hasPrefix("Renamed") }, "requests never read the store")
        await fixture.refresh()
        let after = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"rider-0002"}"#))
        let names = (after["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix("Renamed") })
    }
}
