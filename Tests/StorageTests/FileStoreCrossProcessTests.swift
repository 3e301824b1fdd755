import Foundation
import Storage
import Testing

/// Two emulators on one folder must not lose an update: several real processes run compare-and-swap loops
/// against one ``FileStore`` folder at the same time.
///
/// The processes are Swift Testing exit tests: each `#expect(processExitsWith:)` body runs in a fresh child
/// process of this test binary (not a thread), so the only thing the workers share is the folder and the
/// kernel's advisory locks — exactly the situation of two `rideease` processes.
@Suite("FileStore across processes")
struct FileStoreCrossProcessTests {
    @Test("concurrent processes doing compare-and-swap lose no update")
    func noLostUpdateAcrossProcesses() async throws {
        let folder = try makeTemporaryFolder("xproc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        try await store.put("counter", data: Data("0".utf8), precondition: .ifNoneMatch)
        let processes = 4
        let increments = 50
        let path = folder.path
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<processes {
                group.addTask {
                    await #expect(processExitsWith: .success) {
                        [path = path as String, worker = worker as Int, increments = increments as Int] in
                        try await FileStoreCrossProcessTests.incrementLoop(
                            folder: path,
                            worker: worker,
                            increments: increments
                        )
                    }
                }
            }
        }
        let final = try #require(try await store.get("counter"))
        #expect(String(decoding: final.data, as: UTF8.self) == "\(processes * increments)")
        // Every process logged the values it won; together they are exactly 1...N, each once.
        var won: [Int] = []
        for worker in 0..<processes {
            let log = try #require(try await store.get("wins/\(worker)"))
            won += String(decoding: log.data, as: UTF8.self).split(separator: ",").compactMap { Int($0) }
        }
        #expect(won.sorted() == Array(1...(processes * increments)))
    }

    /// The body each child process runs.
    static func incrementLoop(folder: String, worker: Int, increments: Int) async throws {
        let store = try FileStore(root: URL(fileURLWithPath: folder))
        var won: [Int] = []
        for _ in 0..<increments {
            while true {
                guard let current = try await store.get("counter") else { throw StorageError.malformedResponse("gone") }
                let value = Int(String(decoding: current.data, as: UTF8.self))! + 1
                do {
                    try await store.put("counter", data: Data("\(value)".utf8), precondition: .ifMatch(current.etag))
                    won.append(value)
                    break
                } catch StorageError.preconditionFailed {
                    continue
                }
            }
        }
        try await store.put(
            "wins/\(worker)", data: Data(won.map(String.init).joined(separator: ",").utf8), precondition: .ifNoneMatch)
    }
}
