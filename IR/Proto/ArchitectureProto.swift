// Architecture and DecisionValue <-> protobuf: entries sorted by label, labels unique.

extension DecisionValue {
    /// The protobuf form.
    var proto: Nasc_Ir_DecisionValue {
        var p = Nasc_Ir_DecisionValue()
        switch self {
        case .candidate(let c): p.candidate = c
        case .inputs(let v): p.inputs = .with { $0.values = v.map { Int64($0) } }
        case .value(let s): p.value = s.proto
        }
        return p
    }

    /// Reads the protobuf form; a decision with no case set is an error.
    init(proto p: Nasc_Ir_DecisionValue) throws {
        switch p.decision {
        case nil: throw ProtoFormatError("decision has no value")
        case .candidate(let c)?: self = .candidate(c)
        case .inputs(let v)?: self = .inputs(v.values.map { Int($0) })
        case .value(let s)?: self = .value(try Scalar(proto: s))
        }
    }
}

extension Architecture {
    /// The protobuf form, one entry per label in sorted order.
    var proto: Nasc_Ir_Architecture {
        var p = Nasc_Ir_Architecture()
        p.decisions = labels.map { label in
            var e = Nasc_Ir_ArchitectureEntry()
            e.label = label
            if let v = decisions[label] { e.value = v.proto }
            return e
        }
        return p
    }

    /// Reads the protobuf form; a repeated label is an error.
    init(proto p: Nasc_Ir_Architecture) throws {
        var decisions: [String: DecisionValue] = [:]
        for e in p.decisions {
            guard decisions[e.label] == nil else { throw ProtoFormatError("duplicate decision label '\(e.label)'") }
            decisions[e.label] = try ProtoFormatError.within("decision '\(e.label)'") { try DecisionValue(proto: e.value) }
        }
        self.init(decisions)
    }
}
