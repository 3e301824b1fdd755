import Foundation
import FunctionRuntime
import Recommender

/// Where the rider is, as a recommendation request may say (`"position":{"lat":38.72,"lon":-9.14}`).
struct GeoPosition: Codable, Sendable, Equatable {
    var lat: Double
    var lon: Double

    /// Throws a 400 naming the coordinate that is off the globe.
    func validate() throws(FunctionError) {
        guard lat.isFinite, (-90...90).contains(lat) else {
            throw .invalidArgument("position.lat must be between -90 and 90")
        }
        guard lon.isFinite, (-180...180).contains(lon) else {
            throw .invalidArgument("position.lon must be between -180 and 180")
        }
    }

    /// Great-circle distance to a place in kilometres, to the metre (finer is noise for a rider).
    func distanceKm(toLat placeLat: Double, lon placeLon: Double) -> Double {
        (CatalogPlace.distanceKm(lat1: lat, lon1: lon, lat2: placeLat, lon2: placeLon) * 1000).rounded() / 1000
    }
}
