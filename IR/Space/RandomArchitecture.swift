// RandomArchitecture: uniform random sampling of a search space with any random number generator.

extension SearchSpace {
    /// A random architecture: every decision sampled independently. Candidates, values and depths are
    /// uniform; an input choice of `k` picks a uniform `k`-subset; an input choice of any number keeps each
    /// input with probability 1/2 (NNI's default weights), so every architecture is equally likely.
    /// With a seeded generator (``SplitMix64``) the result is reproducible.
    public func randomArchitecture<G: RandomNumberGenerator>(using rng: inout G) -> Architecture {
        var arch = Architecture()
        for d in decisions {
            if let v = d.kind.randomValue(using: &rng) { arch[d.label] = v }
        }
        return arch
    }
}

extension DecisionKind {
    /// A uniformly random value (see ``SearchSpace/randomArchitecture(using:)``); `nil` if there is none.
    public func randomValue<G: RandomNumberGenerator>(using rng: inout G) -> DecisionValue? {
        switch self {
        case .layerChoice(let c): return c.isEmpty ? nil : .candidate(c[Int.random(in: 0..<c.count, using: &rng)])
        case .valueChoice(let v): return v.isEmpty ? nil : .value(v[Int.random(in: 0..<v.count, using: &rng)])
        case .repeatDepth(let d): return d.isEmpty ? nil : .value(.int(d[Int.random(in: 0..<d.count, using: &rng)]))
        case .inputChoice(let n, let k):
            guard let k else { return .inputs((0..<max(n, 0)).filter { _ in Bool.random(using: &rng) }) }
            guard k >= 0, k <= n else { return nil }
            // Partial Fisher-Yates: the first k of a random permutation, sorted.
            var pool = Array(0..<n)
            for i in 0..<k { pool.swapAt(i, Int.random(in: i..<n, using: &rng)) }
            return .inputs(pool[0..<k].sorted())
        }
    }
}
