/// How long each kind of state is kept (`retention:` in `functions.yaml`), in whole days; `nil` keeps it forever.
///
/// Ages are counted from when an object was written, which its key says for time-partitioned objects
/// (`events/<yyyy>/<mm>/<dd>/…`, `traces/…`, audit records stamped with their time): that is what the scheduled
/// compaction enforces locally, and what the bucket lifecycle rules `rideease deploy plan` emits approximate in
/// the cloud (they count from an object's creation, so a rewritten object restarts its age there).
public struct RetentionPolicy: Sendable, Hashable {
    /// Prediction traces (`traces/`).
    public var tracesDays: Int?
    /// Ride and conversion events (`events/`).
    public var eventsDays: Int?
    /// Audit records (`audit/`).
    public var auditDays: Int?

    /// Creates a policy; the default keeps everything.
    public init(tracesDays: Int? = nil, eventsDays: Int? = nil, auditDays: Int? = nil) {
        self.tracesDays = tracesDays
        self.eventsDays = eventsDays
        self.auditDays = auditDays
    }

    /// The shortest and longest retention a manifest may declare: a day (less would drop the day still being
    /// written) to ten years.
    public static let allowedDays = 1...3650
}
