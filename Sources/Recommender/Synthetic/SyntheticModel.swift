/// A random iALS model of a given size, built directly (no training), for measuring what only depends on size:
/// artifact encode/decode, storage round trips and server start-up with a million riders.
extension TrainedModel {
    /// `users` riders (`rider-0000000`…) with `ridesPerUser` distinct places each, `items` places
    /// (`place-00000`…), `factors` random factors per row; the same arguments always give the same model.
    public static func synthetic(
        users: Int, items: Int, factors: Int = 64, ridesPerUser: Int = 5, seed: UInt64 = 1
    ) -> TrainedModel {
        precondition(users >= 0 && items > 0 && factors > 0 && ridesPerUser >= 0)
        var random = SeededGenerator(seed: seed)
        let userIds = IdIndex(sortedUnique: (0..<users).map { paddedId("rider-", $0, digits: 7) })
        let itemIds = IdIndex(sortedUnique: (0..<items).map { paddedId("place-", $0, digits: 5) })
        let perUser = min(ridesPerUser, items)
        var offsets = [Int](repeating: 0, count: users + 1)
        var columns: [Int32] = []
        var weights: [Float] = []
        columns.reserveCapacity(users * perUser)
        weights.reserveCapacity(users * perUser)
        for user in 0..<users {
            // Evenly spaced places from a random start: distinct and sorted without a sort per row.
            let start = Int(random.next() % UInt64(items))
            let step = max(1, items / max(1, perUser))
            let row = (0..<perUser).map { Int32((start + $0 * step) % items) }.sorted()
            columns += row
            for _ in row { weights.append(Float(1 + random.next() % 4)) }
            offsets[user + 1] = columns.count
        }
        let history = InteractionMatrix(
            users: userIds, items: itemIds, rowOffsets: offsets, columns: columns, weights: weights)
        let configuration = ALSConfiguration(factors: factors, iterations: 1, seed: seed)
        let stride = VectorKernels.paddedLength(factors)
        func randomRows(_ rows: Int) -> [Float] {
            var values = [Float](repeating: 0, count: rows * stride)
            for row in 0..<rows {
                for lane in 0..<factors { values[row * stride + lane] = Float(random.nextUnit() - 0.5) * 0.2 }
            }
            return values
        }
        let model = ALSModel(
            history: history,
            configuration: configuration,
            userFactors: randomRows(users),
            itemFactors: randomRows(items)
        )
        return TrainedModel(
            configuration: .ials(configuration), fitted: .ials(model), popularity: PopularityModel(history: history))
    }

    private static func paddedId(_ prefix: String, _ number: Int, digits: Int) -> String {
        let text = String(number)
        return prefix + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
