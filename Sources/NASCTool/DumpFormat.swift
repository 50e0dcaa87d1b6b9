// DumpFormat: the output formats of `nasc dump` and the rendering of a loaded file in each.
import NASCIR

/// How `nasc dump` prints a file.
public enum DumpFormat: String, CaseIterable, Sendable {
    /// Canonical text IR.
    case text
    /// Protobuf JSON of the file.
    case json
    /// Graphviz DOT, choices as clusters.
    case dot

    /// Renders a loaded file.
    public func render(_ file: LoadedFile, locations: Bool) throws -> String {
        switch file {
        case .space(let space):
            switch self {
            case .text: return TextIR.print(space, locations: locations)
            case .json: return try ProtoIO.json(space) + "\n"
            case .dot: return DotPrinter.print(space)
            }
        case .architecture where self == .dot, .plan where self == .dot, .checkpoint where self == .dot:
            throw DiagnosticError(.error("--format dot draws model spaces only; print this \(file.kindName) as text (--format text)",
                                         at: SourceLocation(file: "--format")))
        case .architecture(let arch):
            return arch.labels.map { "\($0) = \(describe(arch[$0]!))" }.joined(separator: "\n") + "\n"
        case .plan(let plan):
            return plan.listing
        case .checkpoint(let c):
            var out = "checkpoint of plan \"\(c.planName)\": seed \(c.seed), step \(c.stepsTaken), updates \(c.updatesTaken), "
            out += "epoch \(c.epoch) batch \(c.batchInEpoch), learning rate \(c.learningRate)\n"
            for t in c.tensors { out += "  \(t.name) (\(t.role)): \(t.values.count) floats\n" }
            return out
        }
    }

    func describe(_ v: DecisionValue) -> String {
        switch v {
        case .candidate(let c): return ValueExpr.quote(c)
        case .inputs(let i): return "[" + i.map(String.init).joined(separator: ", ") + "]"
        case .value(let s): return s.description
        }
    }
}

extension LoadedFile {
    /// `space`, `architecture`, `plan` or `checkpoint`, for messages.
    var kindName: String {
        switch self {
        case .space: return "model space"
        case .architecture: return "architecture"
        case .plan: return "plan"
        case .checkpoint: return "checkpoint"
        }
    }
}
