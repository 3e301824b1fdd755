import Foundation
import Testing

/// `rideease events import` as a user runs it: real files, the real binary, its exit status and memory.
@Suite("events import in the rideease binary", .serialized)
struct EventImportBinaryTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-imp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `rows` rows shaped like a public ratings log (numeric ids, 1990s seconds, many one-ride riders),
    /// building bytes directly: the test binary is unoptimised and String interpolation of millions of rows is slow.
    func writeRatings(rows: Int, to name: String) throws {
        let url = directory.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer: [UInt8] = Array("userId,movieId,rating,timestamp\n".utf8)
        buffer.reserveCapacity(1 << 20)
        func digits(_ value: Int) {
            var value = value
            var reversed: [UInt8] = []
            repeat {
                reversed.append(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            } while value > 0
            buffer.append(contentsOf: reversed.reversed())
        }
        for row in 0..<rows {
            digits(row / 3)  // most riders have three rides, like a long tail of one-off riders
            buffer.append(UInt8(ascii: ","))
            digits((row &* 7919) % 20_000)
            buffer.append(UInt8(ascii: ","))
            digits(1 + row % 5)
            buffer.append(UInt8(ascii: ","))
            digits(874_724_710 + row)  // September 1997 on
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
    }

    /// Runs an import in a fresh store and returns its stdout and the child's peak RSS in bytes (`VmHWM`, sampled
    /// while it runs: the kernel's high-water mark only grows, so the last sample is the peak up to then).
    func importMeasuringPeak(_ name: String) async throws -> (stdout: String, peakBytes: Int) {
        let store = "store-\(UUID().uuidString)"
        let child = try RideEaseProcess(
            ["events", "import", name, "--storage", "file://" + directory.appendingPathComponent(store).path],
            directory: directory)
        var peak = 0
        let status = "/proc/\(child.process.processIdentifier)/status"
        let deadline = ContinuousClock.now.advanced(by: .seconds(180))
        while child.process.isRunning && ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
            {
                peak = max(peak, kilobytes * 1024)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await child.waitForExit(timeout: .seconds(1)) == 0, "\(child.stderr)")
        return (child.stdout, peak)
    }

    /// The bound: memory is a constant (one 1 MiB read chunk, one batch of 50k encoded events, the runtime) plus
    /// the index of known event ids, 16 bytes per event in a hash set: about 45 with its slack and up to about 70
    /// while the set grows (old and new tables both alive). Measured growth from 200k to 2M rows: 52 B per event
    /// alone, 67-111 B per event while the rest of the suite loads both cores (the allocator keeps more). Holding
    /// the file instead, as the importer before streaming did, peaked at 806 MB for 2M rows (about 380 B per event),
    /// which the bound of 160 B per event catches.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func aTwoMillionRowImportStaysUnderItsMemoryBound() async throws {
        try writeRatings(rows: 200_000, to: "small.csv")
        try writeRatings(rows: 2_000_000, to: "large.csv")
        let small = try await importMeasuringPeak("small.csv")
        let large = try await importMeasuringPeak("large.csv")
        #expect(small.stdout.contains(#"{"imported":200000,"duplicates":0,"rejected":0}"#), "\(small.stdout)")
        #expect(large.stdout.contains(#"{"imported":2000000,"duplicates":0,"rejected":0}"#), "\(large.stdout)")
        let mebibyte = 1 << 20
        let perEvent = 160
        #expect(
            large.peakBytes < 128 * mebibyte + 2_000_000 * perEvent,
            "peak RSS \(large.peakBytes / mebibyte) MiB for 2M rows (\(small.peakBytes / mebibyte) MiB for 200k)")
        #expect(
            large.peakBytes - small.peakBytes < 1_800_000 * perEvent,
            "growth \((large.peakBytes - small.peakBytes) / mebibyte) MiB from 200k to 2M rows: more than the id index"
        )
    }

    @Test func reimportingReportsDuplicatesAndWritesNothing() async throws {
        var dat = ""
        for user in 1...50 { dat += "\(user)::\(user % 9)::4::\(978_300_760 + user)\r\n" }
        try Data(dat.utf8).write(to: directory.appendingPathComponent("ratings.dat"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", directory.appendingPathComponent("ratings.dat").path]
        try gzip.run()
        gzip.waitUntilExit()
        let first = try await RideEaseProcess.run(["events", "import", "ratings.dat.gz"], directory: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(#"{"imported":50,"duplicates":0,"rejected":0}"#), "\(first.stdout)")
        #expect(first.stderr.contains("50 rows (::, gzip)"), "\(first.stderr)")
        #expect(!first.stderr.contains("rows/s"), "no progress line when stderr is not a terminal")
        let second = try await RideEaseProcess.run(["events", "import", "ratings.dat.gz"], directory: directory)
        #expect(second.status == 0, "a re-import is not a failure: \(second.stderr)")
        #expect(second.stdout.contains(#"{"imported":0,"duplicates":50,"rejected":0}"#), "\(second.stdout)")
    }

    @Test func millisecondsNeedNoFlagAndAWrongUnitRejectsByReason() async throws {
        let csv = "user,item,timestamp\n1,a,881248549000\n2,b,881248550000\n"
        try Data(csv.utf8).write(to: directory.appendingPathComponent("ms.csv"))
        let guessed = try await RideEaseProcess.run(["events", "import", "ms.csv"], directory: directory)
        #expect(guessed.stdout.contains(#""imported":2"#), "\(guessed.stderr)")
        let wrong = try await RideEaseProcess.run(
            ["events", "import", "ms.csv", "--timestamp-unit", "us", "--storage", "file://\(directory.path)/other"],
            directory: directory)
        #expect(wrong.status == 0, "1997 in ms read as us is 1970: valid, if odd")
        let bad = try await RideEaseProcess.run(
            ["events", "import", "ms.csv", "--timestamp-unit", "s", "--storage", "file://\(directory.path)/third"],
            directory: directory)
        #expect(bad.status == 1, "every row in the future: nothing imported")
        #expect(bad.stderr.contains("timestamp is more than a day in the future: 2 rows (lines 2, 3)"), "\(bad.stderr)")
        let unit = try await RideEaseProcess.run(
            ["events", "import", "ms.csv", "--timestamp-unit", "minutes"], directory: directory)
        #expect(unit.status != 0)
        #expect(unit.stderr.contains("--timestamp-unit \"minutes\" must be one of: s, ms, us"), "\(unit.stderr)")
    }

    @Test func aMissingFileIsNamed() async throws {
        let result = try await RideEaseProcess.run(["events", "import", "nowhere.csv"], directory: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("nowhere.csv does not exist"), "\(result.stderr)")
    }
}

/// `rideease places import` and the simulator's catalog, through the binary.
@Suite("places import in the rideease binary", .serialized)
struct PlacesImportBinaryTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-pl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func importsACatalogAndRefusesABadOneByLine() async throws {
        let good = "id,name,lat,lon,category\nplace-0001,\"Bar, Alegria\",38.71,-9.14,nightlife\n"
        try Data(good.utf8).write(to: directory.appendingPathComponent("places.csv"))
        let imported = try await RideEaseProcess.run(["places", "import", "places.csv"], directory: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains(#"{"places":1,"version":""#), "\(imported.stdout)")
        let current = directory.appendingPathComponent(".rideease/data/places/current.json")
        let bad = "id,name,lat,lon\nplace-0001,Somewhere,38.71,200\n"
        try Data(bad.utf8).write(to: directory.appendingPathComponent("bad.csv"))
        let before = try? Data(contentsOf: current)
        #expect(before != nil, "the catalog pointer is stored beside the events")
        let refused = try await RideEaseProcess.run(["places", "import", "bad.csv"], directory: directory)
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("bad.csv: line 2: lon \"200\" must be a number from -180 to 180"),
            "\(refused.stderr)")
        #expect((try? Data(contentsOf: current)) == before, "nothing changes")
    }

    @Test func simulateWritesACatalog() async throws {
        let simulated = try await RideEaseProcess.run(
            ["simulate", "--riders", "20", "--places", "10", "--days", "2"], directory: directory)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let pointers = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix("places/current.json") }
        #expect(pointers?.count == 1, "\(pointers ?? [])")
    }
}
