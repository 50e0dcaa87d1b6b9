// PlanListing: a readable text form of a plan (slots with sizes and regions, steps by range) for tools and golden tests.

extension Plan {
    /// A multi-line listing:
    ///
    ///     plan "mnist" (training, sgd)
    ///     slot 0 %x input f32 784*N region 0
    ///     ...
    ///     forward:
    ///       0 conv_forward [conv1] slots 0, 1, 2, 3, 4
    ///     activation memory: 12345*N + 678 floats in 9 regions
    public var listing: String {
        var out: [String] = []
        let kind = isTraining ? "training" : "inference"
        let opt: String
        switch optimizer {
        case .sgd?: opt = ", sgd"
        case .adam?: opt = ", adam"
        case nil: opt = ""
        }
        out.append("plan \"\(name)\" (\(kind)\(opt))")
        for (i, s) in slots.enumerated() {
            let shape = s.shape.isEmpty ? "" : " [\(s.shape.map(\.description).joined(separator: ","))]"
            out.append("slot \(i) \(s.name) \(s.role.rawValue) \(s.type.rawValue)\(shape) \(s.size) region \(s.region)")
        }
        for s in selectors { out.append("selector \"\(s.label)\" [\(s.candidates.joined(separator: ", "))]\(s.gated ? " gated" : "")") }
        for (title, range) in [("forward", forwardSteps), ("backward", backwardSteps), ("update", updateSteps)] where !range.isEmpty {
            out.append("\(title):")
            for k in range {
                let st = steps[k]
                let used = Self.uses(st.kernel).map { String($0.slot) }
                let guardText = st.guardedBy.map { " if " + guardDescription($0) } ?? ""
                out.append("  \(k) \(st.kernel.name) [\(st.node)] slots \(used.joined(separator: ", "))\(guardText)")
            }
        }
        let regions = Set(slots.filter { !$0.role.isPersistent }.map(\.region)).count
        out.append("activation memory: \(activationElements) elements in \(regions) regions")
        return out.joined(separator: "\n")
    }

    /// A guard as text: its conditions joined by `and`, e.g. `1_0 = nor_conv_3x3 and depth >= 2` (negated:
    /// `!=` and `<`; candidate names from the selector).
    public func guardDescription(_ g: StepGuard) -> String {
        g.conditions.map { c in
            guard c.selector >= 0, c.selector < selectors.count else { return "selector \(c.selector) ? \(c.candidate)" }
            let sel = selectors[c.selector]
            let name = c.candidate >= 0 && c.candidate < sel.candidates.count ? sel.candidates[c.candidate] : String(c.candidate)
            let op = c.atLeast ? (c.negated ? "<" : ">=") : (c.negated ? "!=" : "=")
            return "\(sel.label) \(op) \(name)"
        }.joined(separator: " and ")
    }
}
