/// Settings of a synthetic ride world (`rideease simulate`); the world is a pure function of them.
public struct RideWorldConfiguration: Codable, Sendable, Equatable {
    /// Number of riders (`rider-0001` …).
    public var riders: Int = 500
    /// Number of destinations (`place-0001` …), spread over the cities.
    public var places: Int = 300
    /// City names; riders and places are assigned round-robin.
    public var cities: [String] = ["lisbon", "porto"]
    /// Days of ride history generated.
    public var days: Int = 28
    /// Mean rides per rider per day (scaled by each rider's activity).
    public var ridesPerRiderPerDay: Double = 0.6
    /// Rank of the riders' hidden tastes.
    public var tasteDimensions: Int = 6
    /// Unix seconds of the first day's midnight (UTC).
    public var startTime: Int64 = 1_767_225_600
    /// Seed of everything random.
    public var seed: UInt64 = 7

    public init() {}

    func validate() throws(RecommenderError) {
        guard riders > 0, places > 0, days > 0, !cities.isEmpty, places >= cities.count else {
            throw .invalidConfiguration("ride world needs riders, days and at least one place per city")
        }
        guard riders <= 1_000_000, places <= 100_000, days <= 3_650 else {
            throw .invalidConfiguration("ride world is too large")
        }
        guard ridesPerRiderPerDay > 0, ridesPerRiderPerDay <= 50, (1...64).contains(tasteDimensions) else {
            throw .invalidConfiguration("ridesPerRiderPerDay must be in (0, 50], tasteDimensions in 1...64")
        }
    }
}

/// Kinds of destination, each with an hour-of-day profile (why people go there, and when).
public enum PlaceCategory: String, Codable, Sendable, CaseIterable {
    case office, restaurant, nightlife, shopping, airport, station, gym, park

    /// Relative attractiveness by hour 0–23 (multiplies the choice probability).
    func hourWeight(_ hour: Int) -> Double {
        switch self {
        case .office: (7...10).contains(hour) ? 4 : (11...17).contains(hour) ? 1 : 0.1
        case .restaurant: (12...14).contains(hour) || (19...22).contains(hour) ? 3 : 0.4
        case .nightlife: hour >= 22 || hour <= 3 ? 5 : (18...21).contains(hour) ? 1 : 0.05
        case .shopping: (10...20).contains(hour) ? 2 : 0.2
        case .airport, .station: hour <= 5 ? 0.7 : 1.2
        case .gym: (6...8).contains(hour) || (17...20).contains(hour) ? 3 : 0.5
        case .park: (9...18).contains(hour) ? 1.5 : 0.1
        }
    }
}

/// A destination of the synthetic world.
public struct Place: Codable, Sendable, Equatable {
    /// `place-0042`.
    public var id: String
    /// What kind of place it is.
    public var category: PlaceCategory
    /// The city it is in.
    public var city: String
    /// Grid cell (x, y) in a 6 × 6 grid of 1.5 km cells.
    public var zone: SIMD2<Int32>
    /// Baseline attractiveness, Zipf-skewed (a few landmarks, a long tail).
    public var popularity: Double
    /// Hidden attributes that riders' tastes weigh.
    public var latent: [Double]
}

/// A rider of the synthetic world.
public struct Rider: Codable, Sendable, Equatable {
    /// `rider-0001`.
    public var id: String
    /// Home city: riders only ride there.
    public var city: String
    /// Home grid cell; distant places are less attractive.
    public var homeZone: SIMD2<Int32>
    /// `commuter`, `explorer` or `night-owl`: when they ride.
    public var segment: String
    /// Relative ride frequency (log-normal).
    public var activity: Double
    /// Hidden tastes, one weight per latent place attribute.
    public var taste: [Double]

    /// Relative likelihood of riding at each hour, by segment.
    func hourWeight(_ hour: Int) -> Double {
        switch segment {
        case "commuter": (7...9).contains(hour) || (17...19).contains(hour) ? 5 : (6...22).contains(hour) ? 0.7 : 0.05
        case "night-owl": hour >= 20 || hour <= 3 ? 4 : (10...19).contains(hour) ? 0.8 : 0.1
        default: (9...22).contains(hour) ? 1.5 : 0.2
        }
    }
}
