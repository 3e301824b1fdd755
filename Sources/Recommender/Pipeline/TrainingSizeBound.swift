import Storage

/// The largest event log the serving service trains on inside a request (`POST /train`, its local schedule).
///
/// City-sized training (minutes, gigabytes) belongs to the Cloud Run Job (`rideease train`): inside the service it
/// would hold a request for the whole fit and need the service sized for training, not serving. The bound is on
/// the event segments' total bytes, known from a listing before anything is read.
public enum TrainingSizeBound {
    /// Default bound: 128 MiB of event lines, about a million rides (see docs/DEPLOYMENT.md).
    public static let defaultMaxEventBytes = 128 << 20

    /// The configuration key that overrides the bound (bytes).
    public static let configurationKey = "RIDEEASE_HTTP_TRAIN_MAX_EVENT_BYTES"

    /// The bound from `configuration`, or nil (with the reason) when the value is not a positive whole number.
    public static func maxEventBytes(_ configuration: [String: String]) -> Result<Int, TrainingError> {
        guard let text = configuration[configurationKey], !text.isEmpty else { return .success(defaultMaxEventBytes) }
        guard let value = Int(text), value > 0 else {
            return .failure(.invalidRequest("\(configurationKey) must be a positive number of bytes, got \"\(text)\""))
        }
        return .success(value)
    }

    /// The total bytes of the event segments in `store`.
    public static func eventBytes(in store: any ObjectStore) async throws -> Int {
        try await EventLog(store: store).segments().reduce(0) { $0 + $1.size }
    }

    /// The message a refused request carries: what happened and where such training runs instead.
    public static func refusal(eventBytes: Int, limit: Int) -> String {
        "the event log holds \(eventBytes) bytes, above this service's training bound of \(limit) bytes "
            + "(\(configurationKey)); train at this size with the Cloud Run Job (rideease train), "
            + "not POST /train"
    }
}
