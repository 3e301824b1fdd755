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
                try reader.readPadded(rows: rows, columns: factors, stride: stride, what)
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
            let weights = try reader.readPadded(
                rows: n, columns: n, stride: VectorKernels.paddedLength(n), "EASE weights")
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
        var offsets = [Int](repeating: 0, count: users.count + 1)
        var items32 = [Int32](repeating: 0, count: nonZero)
        for user in 0..<users.count {
            let start = offsets[user]
            let end = start + Int(rowLengths[user])
            offsets[user + 1] = end
            var previous = -1
            for position in start..<end {
                let item = Int(columns[position])
                guard item < items.count, item > previous else {
                    throw .malformed("history row \(user) has an out-of-range or unsorted item")
                }
                guard weights[position].isFinite, weights[position] > 0 else {
                    throw .malformed("history row \(user) has a non-positive weight")
                }
                items32[position] = Int32(item)
                previous = item
            }
        }
        // Rows are already sorted and free of duplicates (checked above): no re-sort of the entries.
        return InteractionMatrix(users: users, items: items, rowOffsets: offsets, columns: items32, weights: weights)
    }

}
