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
/// | `pdarts-stage`   | prune-candidates, skip-dropout                          | the space a P-DARTS stage searches (before the supernet) |
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
        Pipeline(name: "pdarts-stage", passes: ["prune-candidates", "skip-dropout"],
                 summary: "the space of a P-DARTS stage: surviving candidates only, dropout after skip connections"),
    ]

    /// The passes of the named pipeline `name` (which must exist: a misspelt name is a programming error).
    static func passes(_ name: String) -> [any Pass] {
        guard let p = try? resolve(name) else { preconditionFailure("no pipeline '\(name)'") }
        return p
    }

    /// The pipeline with this name.
    public static func named(_ name: String) -> Pipeline? { all.first { $0.name == name } }

    /// `plan-train` (or `plan-infer` when not `training`) with typed options; without `memory-plan` unless `memoryPlan` is
    /// given, and without `fuse` when `options.fuse` is false.
    public static func plan(training: Bool, options: PlanOptions, memoryPlan: MemoryPlan? = nil) -> [any Pass] {
        passes("params") + (training ? [Autodiff(options: options.autodiff)] : []) + (options.fuse ? [Fuse()] : [])
            + [Lower(options: options.lower)] + (memoryPlan.map { [$0] } ?? [])
    }

    /// `supernet-space` with typed options.
    public static func supernetSpace(_ options: SupernetOptions) -> [any Pass] {
        [SupernetPass(options: options), InlinePass(), SupernetValuesPass(options: options), ShapeInference()]
    }

    /// `pdarts-stage` with typed options: the space with `prune`'s candidates removed and dropout `skipDropout` after
    /// every skip candidate.
    public static func pdartsStage(prune: PruneCandidatesOptions, skipDropout: SkipDropoutOptions) -> [any Pass] {
        [PruneCandidates(options: prune), SkipDropout(options: skipDropout)]
    }

    /// Resolves a spec: comma-separated pass or pipeline names (`default`, `canonicalize,dce`, `cleanup,shape-infer`),
    /// each optionally followed by typed options in braces (`lower{optimizer=adam,lr=0.01}`,
    /// `supernet-space{mode=sampled}`: a pipeline's options go to every pass of it that declares the key). Blanks around
    /// names are ignored; an empty spec is an empty pipeline. Throws `unknown pass` with a suggestion, and for options
    /// no pass of the item declares or values of the wrong type.
    public static func resolve(_ spec: String) throws -> [any Pass] {
        var out: [any Pass] = []
        var unknown: [Diagnostic] = []
        func add(_ name: String, depth: Int, into list: inout [any Pass]) -> Bool {
            if let p = PassRegistry.pass(named: name) { list.append(p); return true }
            if let pl = named(name), depth < 8 {
                for n in pl.passes where !add(n, depth: depth + 1, into: &list) { return false }
                return true
            }
            unknown.append(PassRegistry.unknownPass(name))
            return false
        }
        for (name, optionText) in try items(spec) {
            if name.isEmpty {
                if trimmed(Substring(spec)).isEmpty { continue }
                unknown.append(Diagnostic.error("empty pass name in pipeline '\(spec)'"))
                continue
            }
            var passes: [any Pass] = []
            guard add(name, depth: 0, into: &passes) else { continue }
            if let optionText {
                var reader = try PassOptionReader(parsing: optionText, owner: name)
                var known: [String] = []
                passes = try passes.map { p in
                    guard let c = p as? any ConfigurablePass else { return p }
                    known += type(of: c).optionKeys
                    return try c.configured(&reader)
                }
                if let bad = reader.unusedKeys.first {
                    let list = known.isEmpty ? "it takes no options" : "known: " + Array(Set(known)).sorted().joined(separator: ", ")
                    let hint = PassRegistry.suggestion(for: bad, among: known).map { "did you mean '\($0)'?" }
                    unknown.append(Diagnostic.error("unknown option '\(bad)' for '\(name)' (\(list))", hint: hint))
                    continue
                }
            }
            out += passes
        }
        if !unknown.isEmpty { throw DiagnosticError(unknown) }
        return out
    }

    /// The top-level items of a spec: each name with the text inside its braces, if any.
    static func items(_ spec: String) throws -> [(name: String, options: String?)] {
        var out: [(String, String?)] = []
        var name = "", options: String?, depth = 0
        func flush() { out.append((trimmed(Substring(name)), options)); name = ""; options = nil }
        for c in spec {
            switch c {
            case "{":
                depth += 1
                if depth == 1 {
                    guard options == nil else { throw DiagnosticError(Diagnostic.error("two option groups after '\(trimmed(Substring(name)))' in pipeline '\(spec)'")) }
                    options = ""
                } else { options!.append(c) }
            case "}":
                guard depth > 0 else { throw DiagnosticError(Diagnostic.error("unbalanced '}' in pipeline '\(spec)'")) }
                depth -= 1
                if depth > 0 { options!.append(c) }
            case "," where depth == 0:
                flush()
            default:
                if depth > 0 { options!.append(c) } else if options != nil && !c.isWhitespace {
                    throw DiagnosticError(Diagnostic.error("unexpected '\(c)' after the options of '\(trimmed(Substring(name)))' in pipeline '\(spec)'"))
                } else { name.append(c) }
            }
        }
        guard depth == 0 else { throw DiagnosticError(Diagnostic.error("unbalanced '{' in pipeline '\(spec)'")) }
        flush()
        return out
    }

    /// `s` without leading and trailing whitespace.
    static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
