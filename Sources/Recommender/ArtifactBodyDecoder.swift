/// Parses and validates the body sections of a `model.bin` whose checksum already matched; every
/// structural invariant the models rely on is re-checked, because a checksum only proves integrity.
enum ArtifactBodyDecoder {
    static func decode(_ reader: inout BinaryReader) throws(ArtifactError) -> TrainedModel {
        let code = try reader.read(UInt8.self, "algorithm")
        let algorithm: Algorithm
        switch code {
        case 0: algorithm = .popularity
        case 1: algorithm = .ials
        case 2: algorithm = .ease
        default: throw .malformed("unknown algorithm code \(code)")
        }
        let parameterCount = try reader.readCount("hyperparameter count", elementSize: 12)
        var hyperparameters: [String: Double] = [:]
        for _ in 0..<parameterCount {
            let name = try reader.readString("hyperparameter name")
            hyperparameters[name] = try reader.readDouble("hyperparameter \(name)")
        }
        let configuration: ModelConfiguration
        do {
            configuration = try ModelConfiguration(algorithm: algorithm, hyperparameters: hyperparameters)
        } catch {
            throw .malformed("hyperparameters: \(error)")
        }
        let users = try readIds(&reader, kind: "user")
        let items = try readIds(&reader, kind: "item")
        let history = try readHistory(&reader, users: users, items: items)
        let counts = try reader.readFloats(items.count, "popularity")
        let popularity = PopularityModel(history: history, counts: counts)
        switch configuration {
        case .popularity:
            return TrainedModel(configuration: configuration, fitted: .popularity, popularity: popularity)
        case .ials(let als):
            let factors = Int(try reader.read(UInt32.self, "factor count"))
            guard factors == als.factors else {
                throw .malformed("factor matrices have \(factors) columns, hyperparameters say \(als.factors)")
            }
            let stride = VectorKernels.paddedLength(factors)
            func padded(_ rows: Int, _ what: String) throws(ArtifactError) -> [Float] {
                guard rows * factors * 4 <= reader.remaining else { throw .malformed("\(what) is cut short") }
                let dense = try reader.readFloats(rows * factors, what)
                var values = [Float](repeating: 0, count: rows * stride)
                for row in 0..<rows {
                    for lane in 0..<factors { values[row * stride + lane] = dense[row * factors + lane] }
                }
                return values
            }
            let userFactors = try padded(users.count, "user factors")
            let itemFactors = try padded(items.count, "item factors")
            let model = ALSModel(
                history: history, configuration: als, userFactors: userFactors, itemFactors: itemFactors)
            return TrainedModel(configuration: configuration, fitted: .ials(model), popularity: popularity)
        case .ease(let ease):
            let n = items.count
            guard n <= EASEModel.maximumItems, n * n * 4 <= reader.remaining else {
                throw .malformed("EASE weights are cut short")
            }
            let dense = try reader.readFloats(n * n, "EASE weights")
            let stride = VectorKernels.paddedLength(n)
            var weights = [Float](repeating: 0, count: n * stride)
            for row in 0..<n {
                for column in 0..<n { weights[row * stride + column] = dense[row * n + column] }
            }
            let model = EASEModel(history: history, configuration: ease, weights: weights)
            return TrainedModel(configuration: configuration, fitted: .ease(model), popularity: popularity)
        }
    }

    private static func readIds(_ reader: inout BinaryReader, kind: String) throws(ArtifactError) -> IdIndex {
        let count = try reader.readCount("\(kind) id count", elementSize: 4)
        var ids: [String] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(try reader.readString("\(kind) id")) }
        return try IdIndex.validated(ids, kind: kind)
    }

    private static func readHistory(
        _ reader: inout BinaryReader, users: IdIndex, items: IdIndex
    ) throws(ArtifactError) -> InteractionMatrix {
        let nonZero = try reader.readCount("history entry count", elementSize: 8)
        let rowLengths = try reader.readUInt32s(users.count, "history row lengths")
        let columns = try reader.readUInt32s(nonZero, "history items")
        let weights = try reader.readFloats(nonZero, "history weights")
        guard rowLengths.reduce(0, { $0 + Int($1) }) == nonZero else {
            throw .malformed("history row lengths do not add up to \(nonZero) entries")
        }
        var entries: [InteractionMatrix.Entry] = []
        entries.reserveCapacity(nonZero)
        var position = 0
        for (user, length) in rowLengths.enumerated() {
            var previous = -1
            for _ in 0..<Int(length) {
                let item = Int(columns[position])
                guard item < items.count, item > previous else {
                    throw .malformed("history row \(user) has an out-of-range or unsorted item")
                }
                guard weights[position].isFinite, weights[position] > 0 else {
                    throw .malformed("history row \(user) has a non-positive weight")
                }
                entries.append(.init(user: Int32(user), item: Int32(item), weight: weights[position]))
                previous = item
                position += 1
            }
        }
        return InteractionMatrix(users: users, items: items, entries: entries)
    }
}
