import Testing

@testable import Recommender

@Suite("Interaction matrix")
struct InteractionMatrixTests {
    @Test("ids are sorted, duplicates summed, CSR and CSC agree")
    func build() throws {
        let rows = [
            Interaction(userId: "zed", itemId: "b", timestamp: 1),
            Interaction(userId: "amy", itemId: "c", timestamp: 2, weight: 2),
            Interaction(userId: "zed", itemId: "a", timestamp: 3),
            Interaction(userId: "zed", itemId: "b", timestamp: 4, weight: 0.5),
        ]
        let matrix = try InteractionMatrix(interactions: rows)
        #expect(matrix.users.ids == ["amy", "zed"])
        #expect(matrix.items.ids == ["a", "b", "c"])
        #expect(matrix.nonZeroCount == 3)
        #expect(Array(matrix.row(1).items) == [0, 1] && Array(matrix.row(1).weights) == [1, 1.5])
        #expect(Array(matrix.column(1).users) == [1] && Array(matrix.column(1).weights) == [1.5])
        #expect(Array(matrix.column(2).users) == [0] && Array(matrix.column(2).weights) == [2])
        // Input order does not matter.
        #expect(try InteractionMatrix(interactions: rows.reversed()) == matrix)
    }

    @Test("a fixed catalog keeps items without training data as empty columns")
    func fixedCatalog() throws {
        let catalog = IdIndex(["a", "b", "c"])
        let matrix = try InteractionMatrix(
            interactions: [Interaction(userId: "u", itemId: "b", timestamp: 0)], items: catalog)
        #expect(matrix.items == catalog && matrix.column(0).users.isEmpty && matrix.column(2).users.isEmpty)
        #expect(throws: RecommenderError.unknownId(kind: "item", id: "zzz")) {
            try InteractionMatrix(interactions: [Interaction(userId: "u", itemId: "zzz", timestamp: 0)], items: catalog)
        }
    }

    @Test(
        "bad events are typed errors that name their index",
        arguments: [
            Interaction(userId: "", itemId: "a", timestamp: 0),
            Interaction(userId: "u", itemId: "", timestamp: 0),
            Interaction(userId: "u", itemId: "a", timestamp: 0, weight: 0),
            Interaction(userId: "u", itemId: "a", timestamp: 0, weight: .nan),
            Interaction(userId: "u", itemId: "a", timestamp: 0, weight: -.infinity),
        ])
    func invalid(interaction: Interaction) {
        let good = Interaction(userId: "u", itemId: "a", timestamp: 0)
        do {
            _ = try InteractionMatrix(interactions: [good, interaction])
            Issue.record("accepted \(interaction)")
        } catch {
            guard case .invalidInteraction(let index, _) = error else { Issue.record("\(error)"); return }
            #expect(index == 1)
        }
    }
}
