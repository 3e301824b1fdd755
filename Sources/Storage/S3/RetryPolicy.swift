/// How an ``S3Store`` retries: exponential backoff with full jitter, a bounded number of attempts.
///
/// Only failures that may be transient are retried: connection errors and timeouts, HTTP 5xx and 429. Other 4xx
/// answers are definitive (a retry would get the same answer) and are reported at once.
///
/// Every request the store sends is safe to repeat. GET, HEAD, LIST and DELETE are idempotent. A PUT replaces the
/// whole object, so repeating an unconditional PUT leaves the same bytes. A conditional PUT carries its
/// precondition on every attempt, so at most one attempt can take effect and a repeat can never overwrite a
/// newer version written by someone else. The one ambiguity: if an attempt took effect but its answer was lost,
/// the repeat fails its precondition and the call reports ``StorageError/preconditionFailed(key:)``. Callers
/// handle that like any lost race, by re-reading, and then see their own write.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts, the first included (1 = no retries).
    public var maxAttempts: Int
    /// Upper bound of the first retry's delay; each later retry doubles it.
    public var baseDelay: Duration
    /// Cap on any single delay.
    public var maxDelay: Duration

    /// Creates a retry policy; the defaults suit a cloud bucket (up to ~1.5 s of waiting in total).
    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(2)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The delay before retry number `retry` (1 for the first retry): uniformly random in
    /// `0 ... min(maxDelay, baseDelay * 2^(retry-1))` ("full jitter"), so clients that failed together do not
    /// retry together.
    public func delay<G: RandomNumberGenerator>(beforeRetry retry: Int, using generator: inout G) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }
}
