// TestSupport: small search spaces and helpers shared by the strategy tests.
import NASCIR
import NASCStrategies
import Testing

/// A space of `decisions` layer choices with `values` candidates each (`values^decisions` architectures).
func uniformSpace(decisions: Int, values: Int) -> SearchSpace {
    SearchSpace(decisions: (0..<decisions).map { d in
        Decision(label: "d\(d)", kind: .layerChoice(candidates: (0..<values).map { "v\($0)" }))
    })
}

/// A small mixed space with every decision kind: 3 * 2 * 3 * 4 = 72 architectures.
let mixedSpace = SearchSpace(decisions: [
    Decision(label: "op", kind: .layerChoice(candidates: ["a", "b", "c"])),
    Decision(label: "w", kind: .valueChoice(values: [.int(8), .float(0.5)])),
    Decision(label: "skip", kind: .inputChoice(nCandidates: 3, nChosen: 1)),
    Decision(label: "any", kind: .inputChoice(nCandidates: 2, nChosen: nil)),
])

/// The number of decisions on which two architectures differ.
func distance(_ a: Architecture, _ b: Architecture) -> Int {
    Set(a.labels + b.labels).filter { a[$0] != b[$0] }.count
}

/// The median of a non-empty list.
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Runs `body` and returns the diagnostic text it throws (records an issue if it does not throw one).
func diagnosticText(_ body: () throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    do {
        try body()
        Issue.record("expected a diagnostic, nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as DiagnosticError {
        return e.diagnostics.map { d in d.description + (d.hint.map { " (hint: \($0))" } ?? "") }.joined(separator: "\n")
    } catch {
        Issue.record("expected a DiagnosticError, got \(error)", sourceLocation: sourceLocation)
    }
    return ""
}
