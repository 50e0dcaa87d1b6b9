// DecisionCounting: how many values a decision has, and the bijection between values and their ranks.
import BigInt

extension DecisionKind {
    /// The number of values: candidates, values or depths; `C(n, k)` for an input choice of `k` among `n`;
    /// `2^n` for an input choice of any number among `n` (including none).
    public var choiceCount: BigInt {
        switch self {
        case .layerChoice(let c): return BigInt(c.count)
        case .valueChoice(let v): return BigInt(v.count)
        case .repeatDepth(let d): return BigInt(d.count)
        case .inputChoice(let n, let k):
            guard let k else { return BigInt(1) << max(n, 0) }
            return Combinatorics.binomial(n, k)
        }
    }

    /// The value of rank `rank` in `0..<choiceCount`, or `nil` when out of range.
    ///
    /// Order: candidates, values and depths in declaration order; inputs of a fixed count in lexicographic
    /// order of the sorted index lists (as Python's `itertools.combinations`); inputs of any count by
    /// increasing count, then lexicographically (as NNI's grid search).
    public func value(atRank rank: BigInt) -> DecisionValue? {
        guard rank >= 0, rank < choiceCount else { return nil }
        switch self {
        case .layerChoice(let c): return .candidate(c[Int(rank)])
        case .valueChoice(let v): return .value(v[Int(rank)])
        case .repeatDepth(let d): return .value(.int(d[Int(rank)]))
        case .inputChoice(let n, let k):
            if let k { return .inputs(Combinatorics.combination(n, k, rank: rank)) }
            var r = rank
            for size in 0...n {
                let c = Combinatorics.binomial(n, size)
                if r < c { return .inputs(Combinatorics.combination(n, size, rank: r)) }
                r -= c
            }
            return nil
        }
    }

    /// The rank of a value (inverse of ``value(atRank:)``), or `nil` if the value is not one of this
    /// decision's values. Value-choice values match numerically (`32` matches `32.0`).
    public func rank(of value: DecisionValue) -> BigInt? {
        switch (self, value) {
        case (.layerChoice(let c), .candidate(let name)):
            return c.firstIndex(of: name).map { BigInt($0) }
        case (.valueChoice(let vs), .value(let v)):
            return vs.firstIndex { $0.asDouble == v.asDouble }.map { BigInt($0) }
        case (.repeatDepth(let ds), .value(let v)):
            guard let d = v.asInt else { return nil }
            return ds.firstIndex(of: d).map { BigInt($0) }
        case (.inputChoice(let n, let k), .inputs(let xs)):
            guard Combinatorics.isStrictlyIncreasing(xs), xs.allSatisfy({ $0 >= 0 && $0 < n }) else { return nil }
            if let k {
                return xs.count == k ? Combinatorics.rank(n, xs) : nil
            }
            var offset = BigInt(0)
            for size in 0..<xs.count { offset += Combinatorics.binomial(n, size) }
            return offset + Combinatorics.rank(n, xs)
        default:
            return nil
        }
    }
}

/// Binomial coefficients and combination ranking, exact with BigInt.
enum Combinatorics {
    /// `C(n, k)`; 0 when `k < 0` or `k > n`.
    static func binomial(_ n: Int, _ k: Int) -> BigInt {
        guard k >= 0, n >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var r = BigInt(1)
        if k == 0 { return r }
        for i in 1...k { r = r * BigInt(n - k + i) / BigInt(i) }
        return r
    }

    /// The `rank`-th `k`-subset of `0..<n` in lexicographic order (rank must be in range).
    static func combination(_ n: Int, _ k: Int, rank: BigInt) -> [Int] {
        var out: [Int] = []
        var r = rank
        var x = 0
        while out.count < k && x < n {
            // Subsets that start with x at this position: choose the rest from x+1..<n.
            let withX = binomial(n - x - 1, k - out.count - 1)
            if r < withX { out.append(x) } else { r -= withX }
            x += 1
        }
        return out
    }

    /// The lexicographic rank of a strictly increasing subset of `0..<n`.
    static func rank(_ n: Int, _ xs: [Int]) -> BigInt {
        var r = BigInt(0)
        var prev = -1
        for (pos, x) in xs.enumerated() {
            if prev + 1 < x {
                for y in (prev + 1)..<x { r += binomial(n - y - 1, xs.count - pos - 1) }
            }
            prev = x
        }
        return r
    }

    static func isStrictlyIncreasing(_ xs: [Int]) -> Bool {
        zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }
    }
}
