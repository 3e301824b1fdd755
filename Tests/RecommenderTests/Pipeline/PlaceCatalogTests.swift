import Foundation
import Recommender
import Storage
import Testing

@Suite("place catalog: CSV import, validation by line, versioned storage, the simulator's catalog")
struct PlaceCatalogTests {
    let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    func write(_ text: String, _ name: String = "places.csv") throws -> String {
        let url = fixture.root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func readsQuotedNamesAndKeepsExtraColumnsAsAttributes() throws {
        let csv = """
            id,name,lat,lon,category,zone,wheelchair\r
            p1,"Café ""A Brasileira"", Chiado",38.7107,-9.1424,restaurant,centre,yes\r
            p2,Estação de São Bento,41.1456,-8.6107,,,\r
            p3,"Line one
            line two",0,0,park,,no
            """
        let places = try PlaceFileReader.read(path: try write(csv))
        #expect(places.map(\.id) == ["p1", "p2", "p3"])
        #expect(places[0].name == "Café \"A Brasileira\", Chiado")
        #expect(places[0].category == "restaurant")
        #expect(places[0].attributes == ["zone": "centre", "wheelchair": "yes"])
        #expect(places[1].category == nil && places[1].attributes == nil)
        #expect(places[2].name == "Line one\nline two")
    }

    @Test func badRowsFailTheImportWithTheirLineNumbers() throws {
        let csv = """
            id,name,lat,lon
            p1,Ok,10,10
            p2,Too far north,91,0
            p3,Too far west,0,-181
            p1,Again,1,1
            ,No id,1,1
            p6,,1,1
            p7,Not a number,abc,1
            """
        #expect {
            _ = try PlaceFileReader.read(path: try write(csv))
        } throws: { error in
            let text = "\(error)"
            return text.contains("6 bad rows, nothing imported")
                && text.contains("line 3: lat \"91\" must be a number from -90 to 90")
                && text.contains("line 4: lon \"-181\" must be a number from -180 to 180")
                && text.contains("line 5: id \"p1\" is already on line 2")
                && text.contains("line 6: id must be 1-128 printable characters")
                && text.contains("line 7: name must be 1-256 bytes")
                && text.contains("line 8: lat \"abc\"")
        }
    }

    @Test func aHeaderWithoutTheColumnsIsRefused() throws {
        #expect {
            _ = try PlaceFileReader.read(path: try write("id,title\np,x\n"))
        } throws: { error in
            "\(error)".contains("the header must name id, name, lat and lon columns")
        }
    }

    @Test func versionsAreCreateOnlyAndThePointerNamesTheCurrentOne() async throws {
        let catalogs = PlaceCatalogStore(store: fixture.store)
        #expect(try await catalogs.current() == nil)
        let first = try await catalogs.publish(
            [CatalogPlace(id: "p", name: "One", lat: 1, lon: 2)], now: Date(timeIntervalSince1970: 1_790_000_000))
        let second = try await catalogs.publish(
            [CatalogPlace(id: "p", name: "Two", lat: 1, lon: 2)], now: Date(timeIntervalSince1970: 1_790_000_060))
        #expect(first.key.hasPrefix("places/") && first.key.hasSuffix(".jsonl"))
        #expect(try await catalogs.current()?["p"]?.name == "Two")
        #expect(try await catalogs.load(first)["p"]?.name == "One")
        let listing = try await fixture.store.list(prefix: "places/", continuationToken: nil, maxKeys: 10)
        #expect(listing.objects.map(\.key).sorted() == [first.key, second.key, PlaceCatalogStore.currentKey].sorted())
    }

    @Test func theSimulatorsCatalogIsPlausible() throws {
        let world = try RideWorld(configuration: RideWorldConfiguration())
        let catalog = world.catalog()
        #expect(catalog.map(\.id) == world.places.map(\.id))
        #expect(Set(catalog.map(\.name)).count > catalog.count / 4, "names vary")
        for (place, entry) in zip(world.places, catalog) {
            #expect(entry.category == place.category.rawValue)
            let centre = place.city == "lisbon" ? (38.7223, -9.1393) : (41.1579, -8.6291)
            // The 6 x 6 grid of 1.5 km cells: every place within about 6.4 km of its city centre.
            #expect(CatalogPlace.distanceKm(lat1: centre.0, lon1: centre.1, lat2: entry.lat, lon2: entry.lon) < 6.5)
        }
        #expect(world.catalog() == catalog, "the same seed gives the same catalog")
    }
}
