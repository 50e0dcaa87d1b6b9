// PassRegistry: the single list of every pass, with lookup by name and "did you mean" suggestions.
import NASCIR

/// Every pass nasc knows, by pipeline name. Add new passes to ``all``.
public enum PassRegistry {
    /// All passes, in the order `nasc passes` lists them.
    public static let all: [any Pass] = [
        VerifyPass(),
        Canonicalize(),
        DeadCodeElimination(),
        ShapeInference(),
        SpecializePass(),
        InlinePass(),
        PruneCandidates(),
        SkipDropout(),
        SupernetPass(),
        SupernetValuesPass(),
        DecomposeSeparable(),
        ExplicitParams(),
        Autodiff(),
        Fuse(),
        Lower(),
        MemoryPlan(),
    ]

    /// The pass with this name.
    public static func pass(named name: String) -> (any Pass)? { all.first { $0.name == name } }

    /// The pass with this name; throws `unknown pass 'x'` with a "did you mean" hint (passes and pipelines).
    public static func lookup(_ name: String) throws -> any Pass {
        if let p = pass(named: name) { return p }
        throw DiagnosticError(unknownPass(name))
    }

    /// The diagnostic for an unknown pass or pipeline name.
    static func unknownPass(_ name: String) -> Diagnostic {
        let known = all.map(\.name) + Pipelines.all.map(\.name)
        let hint = suggestion(for: name, among: known).map { "did you mean '\($0)'?" }
        return Diagnostic.error("unknown pass '\(name)'", hint: hint)
    }

    /// The closest of `candidates` to `name` by edit distance, if close enough to be a likely typo.
    public static func suggestion(for name: String, among candidates: [String]) -> String? {
        let limit = max(2, name.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(name, c)
            if d <= limit, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// Levenshtein distance over characters.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        var prev = Array(0...y.count)
        for i in 1...x.count {
            var row = [i] + Array(repeating: 0, count: y.count)
            for j in stride(from: 1, through: y.count, by: 1) {
                row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            prev = row
        }
        return prev[y.count]
    }
}
