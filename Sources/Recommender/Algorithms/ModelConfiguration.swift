/// The algorithms this module trains.
public enum Algorithm: String, Codable, Sendable, CaseIterable {
    /// Most-interacted items first; also the cold-start fallback.
    case popularity
    /// Implicit alternating least squares (Hu, Koren & Volinsky 2008).
    case ials
    /// Embarrassingly shallow autoencoder (Steck 2019), an item–item model.
    case ease
}

/// iALS hyperparameters. Defaults are the ones the benchmark chose on ML-100K-sized data.
public struct ALSConfiguration: Codable, Sendable, Hashable {
    /// Latent dimension `f`.
    public var factors: Int = 64
    /// Base L2 penalty `λ`.
    public var regularization: Double = 0.03
    /// `ν` in Rendle et al. 2021's frequency-scaled penalty `λ_u = λ · (Σᵢ c_ui)^ν`; 0 is the classic
    /// constant `λ`. `Σᵢ c_ui = |I| + α Σ r_ui` is the total weight of user `u`'s terms in the loss, the
    /// confidence-weighted analogue of their `|I_u| + α₀|I|`.
    public var frequencyScaling: Double = 1
    /// Confidence slope `α` in `c = 1 + α r`.
    public var alpha: Double = 20
    /// Full alternations (user half-step + item half-step).
    public var iterations: Int = 10
    /// Conjugate-gradient steps per row solve, warm-started from the previous iterate (Takács et al.
    /// 2011); 0 means an exact Cholesky solve instead.
    public var conjugateGradientSteps: Int = 3
    /// Seed of the factor initialisation; the whole fit is a deterministic function of it and the data.
    public var seed: UInt64 = 42

    public init(
        factors: Int = 64,
        regularization: Double = 0.03,
        frequencyScaling: Double = 1,
        alpha: Double = 20,
        iterations: Int = 10,
        conjugateGradientSteps: Int = 3,
        seed: UInt64 = 42
    ) {
        self.factors = factors
        self.regularization = regularization
        self.frequencyScaling = frequencyScaling
        self.alpha = alpha
        self.iterations = iterations
        self.conjugateGradientSteps = conjugateGradientSteps
        self.seed = seed
    }

    func validate() throws(RecommenderError) {
        guard (1...1024).contains(factors) else { throw .invalidConfiguration("factors must be in 1...1024") }
        guard regularization.isFinite, regularization > 0 else {
            throw .invalidConfiguration("regularization must be > 0")
        }
        guard (0...2).contains(frequencyScaling) else {
            throw .invalidConfiguration("frequencyScaling must be in 0...2")
        }
        guard alpha.isFinite, alpha >= 0 else { throw .invalidConfiguration("alpha must be >= 0") }
        guard (1...1000).contains(iterations) else { throw .invalidConfiguration("iterations must be in 1...1000") }
        guard (0...100).contains(conjugateGradientSteps) else {
            throw .invalidConfiguration("conjugateGradientSteps must be in 0...100")
        }
    }
}

/// EASE hyperparameters.
public struct EASEConfiguration: Codable, Sendable, Hashable {
    /// L2 penalty added to the Gram diagonal; Steck reports a few hundred for MovieLens-sized data.
    public var regularization: Double = 250

    public init(regularization: Double = 250) { self.regularization = regularization }

    func validate() throws(RecommenderError) {
        guard regularization.isFinite, regularization > 0 else {
            throw .invalidConfiguration("EASE regularization must be > 0")
        }
    }
}

/// Which algorithm to fit and with which hyperparameters; also what an artifact records.
///
/// Its JSON form is flat and stable for metadata and configuration files:
/// `{"algorithm":"ials","hyperparameters":{"factors":64,"alpha":4,…}}`.
public enum ModelConfiguration: Sendable, Hashable, Codable, CustomStringConvertible {
    case popularity
    case ials(ALSConfiguration)
    case ease(EASEConfiguration)

    /// The algorithm being configured.
    public var algorithm: Algorithm {
        switch self {
        case .popularity: .popularity
        case .ials: .ials
        case .ease: .ease
        }
    }

    /// Hyperparameters as name → number (seeds are exact below 2⁵³).
    public var hyperparameters: [String: Double] {
        switch self {
        case .popularity:
            [:]
        case .ials(let c):
            [
                "factors": Double(c.factors), "regularization": c.regularization,
                "frequencyScaling": c.frequencyScaling, "alpha": c.alpha, "iterations": Double(c.iterations),
                "conjugateGradientSteps": Double(c.conjugateGradientSteps), "seed": Double(c.seed),
            ]
        case .ease(let c):
            ["regularization": c.regularization]
        }
    }

    /// Rebuilds a configuration from its algorithm and hyperparameters; missing names take defaults.
    public init(algorithm: Algorithm, hyperparameters: [String: Double]) throws(RecommenderError) {
        func integer(_ name: String, _ fallback: Int) throws(RecommenderError) -> Int {
            guard let value = hyperparameters[name] else { return fallback }
            guard value.isFinite, value.rounded() == value, abs(value) < 0x1p53 else {
                throw .invalidConfiguration("\(name) must be an integer, got \(value)")
            }
            return Int(value)
        }
        let known: Set<String>
        switch algorithm {
        case .popularity:
            known = []
            self = .popularity
        case .ials:
            let d = ALSConfiguration()
            let seed = try integer("seed", Int(d.seed))
            guard seed >= 0 else { throw .invalidConfiguration("seed must be >= 0") }
            let c = ALSConfiguration(
                factors: try integer("factors", d.factors),
                regularization: hyperparameters["regularization"] ?? d.regularization,
                frequencyScaling: hyperparameters["frequencyScaling"] ?? d.frequencyScaling,
                alpha: hyperparameters["alpha"] ?? d.alpha,
                iterations: try integer("iterations", d.iterations),
                conjugateGradientSteps: try integer("conjugateGradientSteps", d.conjugateGradientSteps),
                seed: UInt64(seed)
            )
            try c.validate()
            known = Set(ModelConfiguration.ials(c).hyperparameters.keys)
            self = .ials(c)
        case .ease:
            let c = EASEConfiguration(regularization: hyperparameters["regularization"] ?? 250)
            try c.validate()
            known = ["regularization"]
            self = .ease(c)
        }
        if let unknown = hyperparameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidConfiguration("unknown hyperparameter \"\(unknown)\" for \(algorithm.rawValue)")
        }
    }

    /// Checks ranges before a (possibly long) fit starts.
    public func validate() throws(RecommenderError) {
        switch self {
        case .popularity: break
        case .ials(let c): try c.validate()
        case .ease(let c): try c.validate()
        }
    }

    public var description: String {
        let pairs = hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return pairs.isEmpty ? algorithm.rawValue : "\(algorithm.rawValue)(\(pairs.joined(separator: ", ")))"
    }

    private enum CodingKeys: String, CodingKey { case algorithm, hyperparameters }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let algorithm = try container.decode(Algorithm.self, forKey: .algorithm)
        let values = try container.decodeIfPresent([String: Double].self, forKey: .hyperparameters) ?? [:]
        self = try ModelConfiguration(algorithm: algorithm, hyperparameters: values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encode(hyperparameters, forKey: .hyperparameters)
    }
}
