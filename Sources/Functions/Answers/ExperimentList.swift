/// What `GET /admin/experiments` answers: every recorded experiment, newest first, and the one instances serve.
public struct ExperimentList: Codable, Sendable, Equatable {
    public var active: String?
    public var experiments: [ExperimentRecord]
}

/// What `GET /admin/experiments/{experimentId}` answers: the record and its audit trail, oldest change first.
public struct ExperimentDetail: Codable, Sendable, Equatable {
    public var experiment: ExperimentRecord
    public var audit: [ExperimentRecordStore.Audit]
}
