// SubnetCheck: for small spaces, builds every subnet with the passes (specialize, inline, dce) and infers its
// shapes with the passes' own rules, as a cross-check of the static checker.
import Foundation
import NASCIR
import NASCPasses

/// Enumeration fallback for small spaces: each architecture is specialized into its fixed model and
/// shape-inferred by `shape-infer`. Errors are reported at the offending node with a note naming the
/// architecture. Spaces larger than ``maxArchitectures`` are left to the set-based ``StaticChecker``.
enum SubnetCheck {
    /// The largest space checked by enumeration.
    static let maxArchitectures = 64

    static func run(_ space: ModelSpace, searchSpace: SearchSpace) -> [Diagnostic] {
        guard searchSpace.log10Size <= log10(Double(maxArchitectures)) + 1e-9,
              var manager = try? PassManager(pipeline: "subnet,shape-infer") else { return [] }
        manager.verifyInput = false
        manager.verifyEach = false
        var out: [Diagnostic] = []
        var seen: Set<String> = []
        for arch in searchSpace.allArchitectures().prefix(maxArchitectures) {
            var s = space
            var context = PassContext(architecture: arch)
            let result = manager.run(on: &s, context: &context)
            for d in result.diagnostics where d.severity == .error {
                guard seen.insert("\(d.location)|\(d.message)").inserted else { continue }
                var e = d
                e.notes.append(Diagnostic(.note, at: d.location, "in the architecture " + describe(arch)))
                out.append(e)
            }
            if out.count >= 10 { break }
        }
        return out
    }

    static func describe(_ arch: Architecture) -> String {
        arch.labels.map { label -> String in
            switch arch[label] {
            case .candidate(let c)?: return "\(label) = \(c)"
            case .inputs(let i)?: return "\(label) = inputs [" + i.map(String.init).joined(separator: ", ") + "]"
            case .value(let v)?: return "\(label) = \(v)"
            case nil: return label
            }
        }.joined(separator: ", ")
    }
}
