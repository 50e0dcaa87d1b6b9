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

/// The named pipelines, the only way from a space to a plan (MLIR's and SIL's one pipeline, built in one place):
///
/// | name             | passes                                                  | use                                                    |
/// |------------------|---------------------------------------------------------|--------------------------------------------------------|
/// | `default`        | canonicalize, dce, shape-infer                          | what `nasc compile` runs after building a space        |
/// | `cleanup`        | canonicalize, dce                                       | simplify without typing (e.g. before printing)         |
/// | `check`          | verify, shape-infer                                     | validate a space and type it, changing nothing else    |
/// | `subnet`         | specialize, inline, dce                                 | the flat fixed model of `context.architecture`         |
/// | `subnet-shapes`  | subnet, shape-infer                                     | the front end's per-architecture shape cross-check     |
/// | `subnet-typed`   | subnet, canonicalize, dce, shape-infer                  | the subnet a trial trains (`nasc train`, `nasc trial`) |
/// | `params`         | decompose-separable, explicit-params                    | explicit layer weights, before autodiff/fuse/lower     |
/// | `plan-train`     | params, autodiff, fuse, lower, memory-plan              | a typed subnet to a memory-planned training plan       |
/// | `plan-infer`     | params, fuse, lower, memory-plan                        | a typed subnet to a memory-planned inference plan      |
/// | `supernet-space` | supernet, inline, supernet-values, shape-infer          | a whole space to one flat typed one-shot supernet      |
///
/// ``PlanCompiler`` and ``SupernetCompiler`` run these through ``PassManager``, which verifies the IR before the first
/// pass and after each pass (``PassManager/verifiesByDefault``: always in debug builds and tests; in release builds
/// only with `NASC_VERIFY_EACH=1`, as verification of a supernet costs more than the passes).
public enum Pipelines {
    /// Every named pipeline.
    public static let all: [Pipeline] = [
        Pipeline(name: "default", passes: ["canonicalize", "dce", "shape-infer"],
                 summary: "simplify, remove dead code, infer types"),
        Pipeline(name: "cleanup", passes: ["canonicalize", "dce"], summary: "simplify and remove dead code"),
        Pipeline(name: "check", passes: ["verify", "shape-infer"], summary: "verify and infer types only"),
        Pipeline(name: "subnet", passes: ["specialize", "inline", "dce"],
                 summary: "fix the architecture's choices and flatten to one graph"),
        Pipeline(name: "subnet-shapes", passes: ["subnet", "shape-infer"],
                 summary: "the subnet with inferred shapes (the front end's cross-check of small spaces)"),
        Pipeline(name: "subnet-typed", passes: ["subnet", "canonicalize", "dce", "shape-infer"],
                 summary: "the simplified, typed subnet a trial compiles and trains"),
        Pipeline(name: "params", passes: ["decompose-separable", "explicit-params"],
                 summary: "split separable convolutions and make layer weights explicit"),
        Pipeline(name: "plan-train", passes: ["params", "autodiff", "fuse", "lower", "memory-plan"],
                 summary: "a typed flat graph to a memory-planned training plan"),
        Pipeline(name: "plan-infer", passes: ["params", "fuse", "lower", "memory-plan"],
                 summary: "a typed flat graph to a memory-planned inference plan"),
        Pipeline(name: "supernet-space", passes: ["supernet", "inline", "supernet-values", "shape-infer"],
                 summary: "a whole space to one flat, typed one-shot supernet graph"),
    ]

    /// The passes of the named pipeline `name` (which must exist: a misspelt name is a programming error).
    static func passes(_ name: String) -> [any Pass] {
        guard let p = try? resolve(name) else { preconditionFailure("no pipeline '\(name)'") }
        return p
    }

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
