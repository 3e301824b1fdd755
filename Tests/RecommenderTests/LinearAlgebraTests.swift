import Testing

@testable import Recommender

@Suite("Dense linear algebra and EASE")
struct LinearAlgebraTests {
    /// A random symmetric positive-definite `n × n` matrix `MᵀM + n·I`.
    func spd(_ n: Int, seed: UInt64) -> [Float] {
        var random = SeededGenerator(seed: seed)
        let m = (0..<(n * n)).map { _ in Float(random.nextGaussian()) }
        var a = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var sum: Float = i == j ? Float(n) : 0
                for k in 0..<n { sum += m[k * n + i] * m[k * n + j] }
                a[i * n + j] = sum
            }
        }
        return a
    }

    @Test("Cholesky solves A x = b", arguments: [8, 16, 24])
    func cholesky(n: Int) {
        let a = spd(n, seed: UInt64(n))
        let x = (0..<n).map { Float($0 % 5) - 2 }
        let b = (0..<n).map { i in (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * x[$1] } }
        var factor = a, solution = b
        let ok = factor.withUnsafeMutableBufferPointer { f in
            solution.withUnsafeMutableBufferPointer {
                DenseLinearAlgebra.choleskySolve(f.baseAddress!, $0.baseAddress!, n: n)
            }
        }
        #expect(ok)
        #expect(zip(solution, x).allSatisfy { abs($0 - $1) < 1e-3 })
    }

    @Test("Gauss–Jordan inverse times A is the identity; a non-SPD matrix is refused")
    func inverse() {
        let n = 16
        let a = spd(n, seed: 5)
        var inverse = a
        #expect(
            inverse.withUnsafeMutableBufferPointer {
                DenseLinearAlgebra.invertSymmetricPositiveDefinite($0.baseAddress!, n: n)
            })
        for i in 0..<n {
            for j in 0..<n {
                let product = (0..<n).reduce(Float(0)) { $0 + a[i * n + $1] * inverse[$1 * n + j] }
                #expect(abs(product - (i == j ? 1 : 0)) < 1e-3)
            }
        }
        var negative = [Float](repeating: 0, count: 64)
        negative[0] = -1
        #expect(
            !negative.withUnsafeMutableBufferPointer {
                DenseLinearAlgebra.invertSymmetricPositiveDefinite($0.baseAddress!, n: 8)
            })
    }

    @Test("EASE on two items matches the closed form by hand")
    func easeByHand() throws {
        // Users: {a, b}, {a}. G = XᵀX = [[2, 1], [1, 1]], λ = 1 → G + λI = [[3, 1], [1, 2]],
        // P = (1/5)·[[2, −1], [−1, 3]]; B_ab = −P_ab / P_bb = 1/3, B_ba = −P_ba / P_aa = 1/2.
        let data = Fixtures.interactions([("u1", "a", 0), ("u1", "b", 1), ("u2", "a", 0)])
        let model = try EASEModel.fit(
            try InteractionMatrix(interactions: data),
            configuration: EASEConfiguration(regularization: 1))
        let u2 = model.users.index(of: "u2")!
        let scores = model.scores(forUser: u2)  // x_u2 = [1, 0] → row a of B = [0, 1/3]
        #expect(abs(scores[0]) < 1e-6 && abs(scores[1] - 1.0 / 3) < 1e-5)
        let u1 = model.users.index(of: "u1")!
        let both = model.scores(forUser: u1)  // [B_ba, B_ab] = [1/2, 1/3]
        #expect(abs(both[0] - 0.5) < 1e-5 && abs(both[1] - 1.0 / 3) < 1e-5)
    }
}
