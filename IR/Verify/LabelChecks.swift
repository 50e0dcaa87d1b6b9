// LabelChecks: a label names one decision, so every use of it must be the same kind of choice with the same candidates.

/// One place a decision label is used.
struct LabelUse {
    var label: String
    var kind: DecisionKind
    var location: SourceLocation
}

extension VerifierRun {
    /// Records a use of `label` by a choice node (checked by ``checkLabels()``).
    mutating func recordUse(_ label: String, _ kind: DecisionKind, at location: SourceLocation) {
        labelUses.append(LabelUse(label: label, kind: kind, location: location))
    }

    /// Reports each use of a label that disagrees with its first use (value-choice declarations come first).
    mutating func checkLabels() {
        var first: [String: LabelUse] = [:]
        var seenDecl = Set<String>()
        var uses: [LabelUse] = []
        for vc in space.valueChoices where seenDecl.insert(vc.label).inserted {
            uses.append(LabelUse(label: vc.label, kind: .valueChoice(values: vc.values), location: vc.location))
        }
        uses += labelUses
        for use in uses {
            guard let prev = first[use.label] else { first[use.label] = use; continue }
            if prev.kind != use.kind {
                error("label '\(use.label)' is used for incompatible choices", at: use.location, notes: [
                    Diagnostic(.note, at: prev.location, "'\(use.label)' is also used here as \(Self.describe(prev.kind))"),
                ])
            }
        }
    }

    /// `a layer choice over [a, b]`, `a value choice [16, 32]`, ...
    static func describe(_ kind: DecisionKind) -> String {
        switch kind {
        case .layerChoice(let c): return "a layer choice over [\(c.joined(separator: ", "))]"
        case .inputChoice(let n, let k): return "an input choice of \(k.map(String.init) ?? "any") from \(n) inputs"
        case .valueChoice(let v): return "a value choice [\(v.map(\.description).joined(separator: ", "))]"
        case .repeatDepth(let d): return "a repeat with depths [\(d.map(String.init).joined(separator: ", "))]"
        }
    }
}
