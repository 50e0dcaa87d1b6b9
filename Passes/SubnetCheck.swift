// SubnetCheck: for small spaces, builds every subnet with the `subnet-shapes` pipeline, as a cross-check of the front
// end's static checker with the passes' own shape rules.
import Foundation
import NASCIR

/// Enumeration fallback for small spaces (the front end runs it after its static checker): each architecture goes
/// through the `subnet-shapes` pipeline (specialize, inline, dce, shape-infer). Errors are reported at the offending node with a note naming the
/// architecture. Spaces larger than ``maxArchitectures`` are left to the set-based ``StaticChecker``.
public enum SubnetCheck {
    /// The largest space checked by enumeration.
    public static let maxArchitectures = 64

    /// The errors of every subnet of a space with at most ``maxArchitectures`` architectures (at most 10, each with a
    /// note naming the architecture); none for larger spaces.
    public static func run(_ space: ModelSpace, searchSpace: SearchSpace) -> [Diagnostic] {
        guard searchSpace.log10Size <= log10(Double(maxArchitectures)) + 1e-9,
              var manager = try? PassManager(pipeline: "subnet-shapes") else { return [] }
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
