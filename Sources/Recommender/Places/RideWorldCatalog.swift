import Foundation

extension RideWorld {
    /// City centres of the simulated cities; another city name gets a deterministic spot inland.
    static let cityCentres: [String: (lat: Double, lon: Double)] = [
        "lisbon": (38.7223, -9.1393),
        "porto": (41.1579, -8.6291),
    ]

    /// A plausible place catalog for the world: a name from the category and a street, and coordinates inside the
    /// place's 1.5 km grid cell around its city's centre, so distances shown to riders match the distances the
    /// world's riders weigh.
    public func catalog() -> [CatalogPlace] {
        var random = SeededGenerator(seed: configuration.seed ^ 0x5EED_CA7A_106E)
        let streets = [
            "Augusta", "Liberdade", "Almirante Reis", "Santa Catarina", "Flores", "Alegria", "Boavista", "Prata",
            "Ouro", "Sol", "Mar", "Carmo", "Rossio", "Estrela", "Graça", "Bonfim", "Aliados", "Campo Grande",
        ]
        let kilometresPerDegreeLatitude = 111.32
        return places.map { place in
            let centre =
                Self.cityCentres[place.city]
                ?? (lat: 40 + Double(place.city.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 200 }) / 100, lon: -6)
            // Cells are 1.5 km; the 6 x 6 grid is centred on the city centre.
            let east = (Double(place.zone.x) - 2.5 + random.nextUnit() - 0.5) * 1.5
            let north = (Double(place.zone.y) - 2.5 + random.nextUnit() - 0.5) * 1.5
            let lat = centre.lat + north / kilometresPerDegreeLatitude
            let lon = centre.lon + east / (kilometresPerDegreeLatitude * cos(centre.lat * .pi / 180))
            let street = streets[random.nextInt(below: streets.count)]
            return CatalogPlace(
                id: place.id,
                name: "\(Self.noun(place.category)) \(street)",
                lat: (lat * 1e6).rounded() / 1e6,
                lon: (lon * 1e6).rounded() / 1e6,
                category: place.category.rawValue,
                attributes: ["city": place.city])
        }
    }

    private static func noun(_ category: PlaceCategory) -> String {
        switch category {
        case .office: "Escritórios"
        case .restaurant: "Restaurante"
        case .nightlife: "Bar"
        case .shopping: "Centro Comercial"
        case .airport: "Aeroporto"
        case .station: "Estação"
        case .gym: "Ginásio"
        case .park: "Jardim"
        }
    }
}
