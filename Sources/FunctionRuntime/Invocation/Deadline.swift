import Synchronization

/// Runs an operation with a time limit, answering as soon as the limit passes even when the operation
/// ignores cancellation — as Cloud Run does: the caller gets its 504 on time; the late work is cancelled.
enum Deadline {
    /// Thrown when `limit` passes first.
    struct Exceeded: Error {}

    static func run<T: Sendable>(
        limit: Duration,
        timer: DeadlineTimer,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = OneShot<Result<T, any Error>>()
        // The operation runs in an unstructured (not detached) task raced against the shared timer; whichever
        // finishes first settles the outcome. A task group would wait for an operation that never checks
        // cancellation.
        let work = Task { outcome.settle(await Result { try await operation() }) }
        let alarm = timer.schedule(at: .now.advanced(by: limit)) { outcome.settle(.failure(Exceeded())) }
        defer {
            work.cancel()
            timer.cancel(alarm)
        }
        return try await withTaskCancellationHandler {
            try await outcome.value.get()
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
    }
}

extension Result where Failure == any Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}

/// A value set once and awaited by one reader.
private final class OneShot<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case settled(Value)
    }

    private let state = Mutex<State>(.empty)

    func settle(_ value: Value) {
        let continuation: CheckedContinuation<Value, Never>? = state.withLock { state in
            switch state {
            case .empty:
                state = .settled(value)
                return nil
            case .waiting(let continuation):
                state = .settled(value)
                return continuation
            case .settled:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }

    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready: Value? = state.withLock { state in
                    switch state {
                    case .settled(let value):
                        return value
                    case .empty, .waiting:
                        state = .waiting(continuation)
                        return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
