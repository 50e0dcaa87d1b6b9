// TextPrinter: renders a ModelSpace as canonical text IR (deterministic: IR order, bridge attribute order).

/// Builds the canonical text of a model space. See ``TextIR`` for the format.
struct TextPrinter {
    /// Whether known locations print as `loc(...)`.
    let locations: Bool

    /// The whole space: header, value choices, then each graph after a blank line; ends with a newline.
    func print(_ space: ModelSpace) -> String {
        var lines: [String] = []
        lines.append("space \(ValueExpr.quote(space.name)) version \(ModelSpace.formatVersion) root \(graphRef(space.root))")
        for v in space.valueChoices {
            lines.append("value_choice \(ValueExpr.quote(v.label)) [\(v.values.map(\.description).joined(separator: ", "))]"
                         + loc(v.location))
        }
        for g in space.graphs {
            lines.append("")
            lines.append(contentsOf: graph(g))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `graph @name(%in: type, ...) {`, one line per node, `return ...`, `}`.
    func graph(_ g: Graph) -> [String] {
        let inputs = g.inputs.map { "\(valueName($0.name)): \($0.type)" + loc($0.location) }
        var out = ["graph \(graphRef(g.name))(\(inputs.joined(separator: ", ")))\(loc(g.location)) {"]
        for n in g.nodes { out.append("  " + node(n)) }
        out.append(g.outputs.isEmpty ? "  return" : "  return " + g.outputs.map(ref).joined(separator: ", "))
        out.append("}")
        return out
    }

    /// `%name = kind(%a, %b#1) {attr = value, ...} : type, ... when(%sw == 0, ...) loc(...)`.
    func node(_ n: Node) -> String {
        var s = "\(valueName(n.name)) = \(n.op.kind.rawValue)(\(n.inputs.map(ref).joined(separator: ", ")))"
        let attrs = n.op.attributes
        if !attrs.isEmpty {
            s += " {" + attrs.map { "\($0.name) = \(attribute($0.value))" }.joined(separator: ", ") + "}"
        }
        if !n.types.isEmpty { s += " : " + n.types.map(\.description).joined(separator: ", ") }
        if !n.scope.isEmpty {
            s += " when(" + n.scope.map { "\(valueName($0.choice)) \($0.atLeast ? ">=" : "==") \($0.candidate)" }.joined(separator: ", ") + ")"
        }
        return s + loc(n.location)
    }

    /// One attribute value.
    func attribute(_ a: Attribute) -> String {
        switch a {
        case .expr(let e): return e.description
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return ValueExpr.quote(s)
        case .symbol(let s): return s
        case .graph(let g): return graphRef(g)
        case .ints(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .graphs(let gs): return "[" + gs.map(graphRef).joined(separator: ", ") + "]"
        case .candidates(let cs):
            return "[" + cs.map { "\(TextNames.quoteIfNeeded($0.name)) = \(graphRef($0.graph))" }.joined(separator: ", ") + "]"
        }
    }

    func ref(_ r: ValueRef) -> String { r.slot == 0 ? valueName(r.node) : "\(valueName(r.node))#\(r.slot)" }
    func valueName(_ s: String) -> String { "%" + TextNames.quoteIfNeeded(s) }
    func graphRef(_ s: String) -> String { "@" + TextNames.quoteIfNeeded(s) }

    /// ` loc("file":line:col)` (shorter when line or column is 0), or nothing when unknown or disabled.
    func loc(_ l: SourceLocation) -> String {
        guard locations, !l.isUnknown else { return "" }
        var s = " loc(" + ValueExpr.quote(l.file)
        if l.line != 0 || l.column != 0 { s += ":\(l.line)" }
        if l.column != 0 { s += ":\(l.column)" }
        return s + ")"
    }
}
