import Foundation

/// A destination as a rider app shows it: name, coordinates, category, and whatever else the catalog carries.
public struct CatalogPlace: Codable, Sendable, Equatable {
    /// The place's id, as in events (`itemId`).
    public var id: String
    /// Display name.
    public var name: String
    /// Latitude in degrees, -90…90.
    public var lat: Double
    /// Longitude in degrees, -180…180.
    public var lon: Double
    /// Kind of place (`restaurant`, `station`, …), if the catalog says.
    public var category: String?
    /// Further columns of the imported file, by header name.
    public var attributes: [String: String]?

    /// Creates a place.
    public init(
        id: String, name: String, lat: Double, lon: Double, category: String? = nil,
        attributes: [String: String]? = nil
    ) {
        self.id = id
        self.name = name
        self.lat = lat
        self.lon = lon
        self.category = category
        self.attributes = attributes
    }

    /// Whether `lat`/`lon` are a position on Earth.
    public static func isValid(lat: Double, lon: Double) -> Bool {
        lat.isFinite && lon.isFinite && (-90...90).contains(lat) && (-180...180).contains(lon)
    }

    /// Great-circle distance in kilometres (haversine on a sphere of the mean Earth radius, 6371.0088 km: within
    /// 0.5 % of the ellipsoid, far finer than a rider needs).
    public static func distanceKm(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a =
            sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6371.0088 * asin(min(1, a.squareRoot()))
    }
}
