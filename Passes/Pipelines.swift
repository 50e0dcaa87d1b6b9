// Pipelines: named pass pipelines and the parser for pipeline specs like "canonicalize,dce,shape-infer".
import NASCIR

/// A named list of passes.
public struct Pipeline: Sendable, Hashable {
    /// The name used in specs (`--passes=default`).
    public var name: String
    /// Pass (or pipeline) names, in order.
    public var passes: [String]
    /// One line, shown by `nasc passes`.
    public var summary: String
}

/// The named pipelines:
///
/// | name      | passes                          | use                                             |
/// |-----------|---------------------------------|-------------------------------------------------|
/// | `default` | canonicalize, dce, shape-infer  | what `nasc` runs after building a space         |
/// | `cleanup` | canonicalize, dce               | simplify without typing (e.g. before printing)  |
/// | `check`   | verify, shape-infer             | validate a space and type it, changing nothing else |
/// | `subnet`  | specialize, inline, dce         | the flat fixed model of `context.architecture`  |
///
/// The pass manager verifies the IR before the first pass and after each pass, whatever the pipeline.
public enum Pipelines {
    /// Every named pipeline.
    public static let all: [Pipeline] = [
        Pipeline(name: "default", passes: ["canonicalize", "dce", "shape-infer"],
                 summary: "simplify, remove dead code, infer types"),
        Pipeline(name: "cleanup", passes: ["canonicalize", "dce"], summary: "simplify and remove dead code"),
        Pipeline(name: "check", passes: ["verify", "shape-infer"], summary: "verify and infer types only"),
        Pipeline(name: "subnet", passes: ["specialize", "inline", "dce"],
                 summary: "fix the architecture's choices and flatten to one graph"),
    ]

    /// The pipeline with this name.
    public static func named(_ name: String) -> Pipeline? { all.first { $0.name == name } }

    /// Resolves a spec: comma-separated pass or pipeline names (`default`, `canonicalize,dce`, `cleanup,shape-infer`).
    /// Blanks around names are ignored; an empty spec is an empty pipeline. Throws `unknown pass` with a suggestion.
    public static func resolve(_ spec: String) throws -> [any Pass] {
        var out: [any Pass] = []
        var unknown: [Diagnostic] = []
        func add(_ name: String, depth: Int) {
            if let p = PassRegistry.pass(named: name) { out.append(p); return }
            if let pl = named(name), depth < 8 {
                for n in pl.passes { add(n, depth: depth + 1) }
                return
            }
            unknown.append(PassRegistry.unknownPass(name))
        }
        for part in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let name = trimmed(part)
            if name.isEmpty {
                if trimmed(Substring(spec)).isEmpty { continue }
                unknown.append(Diagnostic.error("empty pass name in pipeline '\(spec)'"))
                continue
            }
            add(name, depth: 0)
        }
        if !unknown.isEmpty { throw DiagnosticError(unknown) }
        return out
    }

    /// `s` without leading and trailing whitespace.
    static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
