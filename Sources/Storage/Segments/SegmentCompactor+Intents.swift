import Foundation

/// The intent protocol: committing a day's output, and finishing or undoing what a killed run left.
extension SegmentCompactor {
    /// The intents under this prefix, with their ETags.
    func pendingIntents() async throws -> [(key: String, etag: String, intent: CompactionIntent)] {
        var result: [(key: String, etag: String, intent: CompactionIntent)] = []
        var token: String?
        repeat {
            let page = try await store.list(
                prefix: CompactionIntent.folder + prefix + "/", continuationToken: token, maxKeys: 1000)
            for info in page.objects {
                guard let object = try await store.get(info.key) else { continue }
                result.append(
                    (info.key, object.etag, try JSONDecoder().decode(CompactionIntent.self, from: object.data)))
            }
            token = page.continuationToken
        } while token != nil
        return result
    }

    /// Finishes or undoes the intent a killed run left at `key`.
    func resume(_ intent: CompactionIntent, etag: String, key: String, report: inout CompactionReport) async throws {
        report.intentsResumed += 1
        logger.info(
            "resuming an interrupted compaction",
            metadata: ["prefix": "\(prefix)", "day": "\(intent.day)", "phase": "\(intent.phase.rawValue)"])
        switch intent.phase {
        case .deleting:
            try await deleteSources(intent, key: key)
        case .writing:
            // Both written (each write is atomic) and matching: the output is complete.
            if let index = try? await readIndex(intent.indexKey), let output = try await store.head(intent.outputKey),
                output.etag == index.dailyEtag
            {
                if try await commit(intent, etag: etag, key: key) {
                    report.daysCompacted += 1
                    report.segmentsMerged += intent.sources.count
                    report.bytesWritten += index.dailySize
                } else {
                    report.daysDeferred += 1
                }
            } else {
                try await rollBack(intent, key: key)
            }
        }
    }

    /// Makes a complete output final if every source is still as merged, then deletes the sources; otherwise
    /// undoes the output. Returns whether the output was kept.
    func commit(_ intent: CompactionIntent, etag: String, key: String) async throws -> Bool {
        for source in intent.sources {
            guard let info = try await store.head(source.key), info.etag == source.etag else {
                logger.warning(
                    "a segment changed while it was merged; the day is compacted again on the next run",
                    metadata: ["prefix": "\(prefix)", "day": "\(intent.day)", "key": "\(source.key)"])
                try await rollBack(intent, key: key)
                return false
            }
        }
        var final = intent
        final.phase = .deleting
        try await store.put(key, data: try CompactionIntent.encoder.encode(final), precondition: .ifMatch(etag))
        try await deleteSources(final, key: key)
        return true
    }

    /// Deletes the merged sources (only those still as merged), the obsolete objects, then the intent.
    func deleteSources(_ intent: CompactionIntent, key: String) async throws {
        for source in intent.sources {
            guard let info = try await store.head(source.key) else { continue }  // Deleted before a kill.
            guard info.etag == source.etag else {
                // Only a writer without the lease can change a source after it was checked: keep its new content.
                logger.error(
                    "a merged segment was rewritten after the merge was final; kept",
                    metadata: ["prefix": "\(prefix)", "day": "\(intent.day)", "key": "\(source.key)"])
                continue
            }
            try await store.delete(source.key)
        }
        for obsolete in intent.obsolete { try await store.delete(obsolete) }
        try await store.delete(key)
    }

    /// Deletes a day's uncommitted output (index first, so the latest index always names an existing daily file),
    /// then the intent.
    func rollBack(_ intent: CompactionIntent, key: String) async throws {
        try await store.delete(intent.indexKey)
        try await store.delete(intent.outputKey)
        try await store.delete(key)
    }
}
