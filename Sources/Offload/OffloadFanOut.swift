import Dispatch
import Synchronization

extension OffloadPool {
    /// Calls `body(chunk, worker)` once for every chunk in `0..<chunks`, on at most `workers` threads at once: the
    /// caller's and up to `workers - 1` of this pool's. `worker` is in `0..<workers`, and no two threads use the
    /// same `worker` at the same time, so it can index per-thread scratch space.
    ///
    /// Threads claim the next chunk from a shared counter, so a thread the OS starves does not hold back the
    /// others. Which thread runs a chunk is unspecified; when each chunk writes only its own results (and
    /// partial sums are combined in chunk order), the result is the same bit for bit whatever `workers` is.
    ///
    /// Never deadlocks, even from a job on this pool with every thread busy: the caller works through the chunks
    /// itself, a helper that starts after they ran out returns at once without touching `body`, and the caller
    /// waits only for helpers that did start, which are running chunks and cannot be waiting for it.
    public func forEach(chunks: Int, workers: Int, _ body: @Sendable (_ chunk: Int, _ worker: Int) -> Void) {
        guard chunks > 0 else { return }
        let workers = max(1, min(workers, chunks))
        guard workers > 1 else {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let fanOut = FanOut(chunks: chunks, body: body)
            for worker in 1..<workers { submit { fanOut.help(as: worker) } }
            fanOut.work(as: 0, body)
            fanOut.close()
        }
    }

    /// Calls `body(chunk)` once for every chunk in `0..<chunks`, on at most `workers` threads at once.
    public func forEach(chunks: Int, workers: Int, _ body: @Sendable (_ chunk: Int) -> Void) {
        forEach(chunks: chunks, workers: workers) { chunk, _ in body(chunk) }
    }
}

/// One ``OffloadPool/forEach(chunks:workers:_:)`` call, shared by its caller and its helper jobs.
private final class FanOut: Sendable {
    private struct Helpers {
        /// The caller's closure while helpers may still start; `nil` once the caller stopped waiting for more.
        var body: (@Sendable (Int, Int) -> Void)?
        var started = 0
    }

    private let chunks: Int
    private let next = Atomic(0)
    private let helpers: Mutex<Helpers>
    private let helperFinished = DispatchSemaphore(value: 0)

    init(chunks: Int, body: @escaping @Sendable (Int, Int) -> Void) {
        self.chunks = chunks
        helpers = Mutex(Helpers(body: body))
    }

    /// Claims and runs chunks until there are none left.
    func work(as worker: Int, _ body: @Sendable (Int, Int) -> Void) {
        while true {
            let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunks else { return }
            body(chunk, worker)
        }
    }

    /// A helper job: joins in if the caller still accepts helpers, and reports when it is done.
    func help(as worker: Int) {
        if joinAndWork(as: worker) { helperFinished.signal() }
    }

    /// Returns whether this helper joined; its reference to the body is gone when it returns, before the signal.
    private func joinAndWork(as worker: Int) -> Bool {
        let body = helpers.withLock { state -> (@Sendable (Int, Int) -> Void)? in
            guard let body = state.body, next.load(ordering: .relaxed) < chunks else { return nil }
            state.started += 1
            return body
        }
        guard let body else { return false }
        work(as: worker, body)
        return true
    }

    /// Called by the caller once the chunks ran out: no helper joins after this, and those that joined are waited
    /// for, so `body` is not used after the caller's `forEach` returns.
    func close() {
        let started = helpers.withLock { state in
            state.body = nil
            return state.started
        }
        for _ in 0..<started { helperFinished.wait() }
    }
}
