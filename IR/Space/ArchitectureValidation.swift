// ArchitectureValidation: checks that an architecture picks exactly one valid value for every decision.

extension SearchSpace {
    /// Checks `arch` against the space. Throws ``DiagnosticError`` with one diagnostic per problem, each
    /// naming the label, at the decision's first location: a label the space does not have, a missing
    /// label, a value of the wrong kind, an unknown candidate, a value or depth not offered, an input index
    /// out of range, a duplicate or unsorted input list, or the wrong number of inputs.
    public func validate(_ arch: Architecture) throws {
        let problems = validationProblems(arch)
        if !problems.isEmpty { throw DiagnosticError(problems.map(\.diagnostic)) }
    }

    /// Every problem of `arch`, with the label it concerns, in label-then-decision order.
    func validationProblems(_ arch: Architecture) -> [(label: String, diagnostic: Diagnostic)] {
        var out: [(label: String, diagnostic: Diagnostic)] = []
        let known = Set(labels)
        for label in arch.labels where !known.contains(label) {
            out.append((label, .error("architecture has unknown label '\(label)'", at: .unknown,
                                      hint: nearestLabel(to: label).map { "did you mean '\($0)'?" })))
        }
        for d in decisions {
            let loc = d.locations.first ?? .unknown
            guard let v = arch[d.label] else {
                out.append((d.label, .error("architecture has no value for '\(d.label)' (\(d.kind.summary))", at: loc)))
                continue
            }
            if let problem = d.kind.problem(with: v, label: d.label) { out.append((d.label, .error(problem, at: loc))) }
        }
        return out
    }

    /// The label closest to `label` by edit distance, if reasonably close.
    func nearestLabel(to label: String) -> String? {
        let scored = labels.map { ($0, EditDistance.between($0, label)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, label.count / 3) else { return nil }
        return best.0
    }
}

extension DecisionKind {
    /// Why `value` is not a value of this decision, or `nil` if it is.
    public func problem(with value: DecisionValue, label: String) -> String? {
        switch (self, value) {
        case (.layerChoice(let c), .candidate(let name)):
            return c.contains(name) ? nil
                : "'\(name)' is not a candidate of layer choice '\(label)' (candidates: \(c.joined(separator: ", ")))"
        case (.valueChoice(let vs), .value(let v)):
            return vs.contains(where: { $0.asDouble == v.asDouble }) ? nil
                : "\(v) is not a value of value choice '\(label)' (values: \(vs.map(\.description).joined(separator: ", ")))"
        case (.repeatDepth(let ds), .value(let v)):
            guard let d = v.asInt, ds.contains(d) else {
                return "\(v) is not a depth of repeat '\(label)' (depths: \(ds.map(String.init).joined(separator: ", ")))"
            }
            return nil
        case (.inputChoice(let n, let k), .inputs(let xs)):
            if let bad = xs.first(where: { $0 < 0 || $0 >= n }) {
                return "input \(bad) of input choice '\(label)' is out of range (it has \(n) inputs, numbered from 0)"
            }
            if let dup = SearchSpaceBuilder.firstDuplicate(xs.map(String.init)) {
                return "input choice '\(label)' chooses input \(dup) twice"
            }
            if !Combinatorics.isStrictlyIncreasing(xs) {
                return "inputs of input choice '\(label)' must be in ascending order, got \(xs)"
            }
            if let k, xs.count != k {
                return "input choice '\(label)' must choose exactly \(k) of its \(n) inputs, got \(xs.count)"
            }
            return nil
        default:
            let article = summary.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            return "\(value.summary) is the wrong kind of value for '\(label)', which is \(article) \(summary)"
        }
    }
}

extension DecisionValue {
    /// A short description for diagnostics: `candidate 'conv3'`, `inputs [0, 2]`, `value 32`.
    public var summary: String {
        switch self {
        case .candidate(let c): return "candidate '\(c)'"
        case .inputs(let xs): return "inputs \(xs)"
        case .value(let v): return "value \(v)"
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
