extension ErasureRecord.Counts {
    /// The first pass over events.
    mutating func setEvents(_ outcome: SegmentErasure.Outcome) {
        eventSegmentsScanned = outcome.scanned
        eventSegmentsRewritten = outcome.rewritten
        eventsRemoved = outcome.removed
    }

    /// The first pass over traces.
    mutating func setTraces(_ outcome: SegmentErasure.Outcome) {
        traceSegmentsScanned = outcome.scanned
        traceSegmentsRewritten = outcome.rewritten
        tracesRemoved = outcome.removed
    }

    /// The final pass over events, added to the first.
    mutating func addEvents(_ outcome: SegmentErasure.Outcome) {
        eventSegmentsScanned += outcome.scanned
        eventSegmentsRewritten += outcome.rewritten
        eventsRemoved += outcome.removed
    }

    /// The final pass over traces, added to the first.
    mutating func addTraces(_ outcome: SegmentErasure.Outcome) {
        traceSegmentsScanned += outcome.scanned
        traceSegmentsRewritten += outcome.rewritten
        tracesRemoved += outcome.removed
    }
}
