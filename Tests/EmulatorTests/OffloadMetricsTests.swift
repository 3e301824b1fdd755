import Dispatch
import Offload
import Testing

@testable import Emulator

@Suite("/metrics shows the offload pools' queues")
struct OffloadMetricsTests {
    @Test func everyScrapeCopiesThePoolCounters() async throws {
        let pool = OffloadPool(name: "scraped", threads: 2)
        let exporter = PrometheusExporter(descriptions: [], pools: [("scraped", pool)])
        let gate = DispatchSemaphore(value: 0)
        // Two jobs hold both threads, three wait behind them.
        for _ in 0..<5 {
            Task { await pool.run { _ = gate.wait(timeout: .now() + 30) } }
        }
        while pool.statistics.running < 2 || pool.statistics.queued > 3 { try await Task.sleep(for: .milliseconds(2)) }
        let busy = String(decoding: exporter.exposition(), as: UTF8.self)
        for line in [
            "# TYPE rideease_offload_queue_depth gauge", #"rideease_offload_queue_depth{pool="scraped"} 3.0"#,
            "# TYPE rideease_offload_running gauge", #"rideease_offload_running{pool="scraped"} 2.0"#,
            "# TYPE rideease_offload_threads gauge", #"rideease_offload_threads{pool="scraped"} 2.0"#,
            "# TYPE rideease_offload_jobs_total counter", #"rideease_offload_jobs_total{pool="scraped"} 0"#,
            "# HELP rideease_offload_queue_depth Offload pool jobs waiting for a thread.",
        ] {
            #expect(busy.contains(line + "\n"), "\(line)")
        }
        for _ in 0..<5 { gate.signal() }
        while pool.statistics.completed < 5 { try await Task.sleep(for: .milliseconds(2)) }
        _ = exporter.exposition()
        // A second scrape adds only what finished since the first: the counter is not doubled.
        let idle = String(decoding: exporter.exposition(), as: UTF8.self)
        for line in [
            #"rideease_offload_queue_depth{pool="scraped"} 0.0"#, #"rideease_offload_running{pool="scraped"} 0.0"#,
            #"rideease_offload_jobs_total{pool="scraped"} 5"#,
        ] {
            #expect(idle.contains(line + "\n"), "\(line)")
        }
    }

    @Test func theServerExposesTheIOAndCPUPools() {
        let text = String(decoding: PrometheusExporter(descriptions: []).exposition(), as: UTF8.self)
        #expect(text.contains(#"rideease_offload_threads{pool="io"} 16.0"# + "\n"))
        #expect(text.contains(#"rideease_offload_threads{pool="cpu"} \#(Double(Offload.cpu.threadCount))"# + "\n"))
        for family in ["rideease_offload_queue_depth", "rideease_offload_running", "rideease_offload_jobs_total"] {
            for pool in ["io", "cpu", "background"] { #expect(text.contains(#"\#(family){pool="\#(pool)"} "#)) }
        }
    }
}
