// TextParser attributes: attribute blocks, attribute values and value-choice expressions, typed through the op bridge.

/// An attribute as written, with the token of its name (for pointing diagnostics at it).
struct ParsedAttribute {
    var attribute: NamedAttribute
    var nameToken: TextToken
    /// Written `[]`: its list type (ints, graphs or candidates) is decided by what the op accepts.
    var isEmptyList: Bool
}

extension TextParser {
    /// `{name = value, ...}`.
    func attributeBlock() throws -> [ParsedAttribute] {
        try expect("{", "before the attributes")
        var out: [ParsedAttribute] = []
        if !isPunct("}") {
            repeat {
                let n = try expect(.identifier, "an attribute name")
                try expect("=", "after attribute '\(n.text)'")
                let isEmpty = isPunct("[") && peekToken(1).kind == .punct && peekToken(1).text == "]"
                out.append(ParsedAttribute(attribute: NamedAttribute(n.text, try attributeValue()), nameToken: n, isEmptyList: isEmpty))
            } while accept(",")
        }
        try expect("}", "after the attributes")
        return out
    }

    /// One value: expression, `true`/`false`, string, bare symbol, `@graph` or a list.
    func attributeValue() throws -> Attribute {
        switch tok.kind {
        case .string:
            return .string(bump().text)
        case .graphName:
            return .graph(bump().text)
        case .identifier:
            switch tok.text {
            case "true": bump(); return .bool(true)
            case "false": bump(); return .bool(false)
            case "inf", "nan": return .expr(try expression())
            case "min", "max":
                let call = peekToken(1).kind == .punct && peekToken(1).text == "("
                return call ? .expr(try expression()) : .symbol(bump().text)
            default: return .symbol(bump().text)
            }
        case .punct where tok.text == "[":
            return try list()
        default:
            return .expr(try expression())
        }
    }

    /// `[1, -2]`, `[@a, @b]`, `[name = @g, "quoted name" = @h]`, or `[]` (read as ints until the op says otherwise).
    func list() throws -> Attribute {
        try expect("[", "")
        if accept("]") { return .ints([]) }
        let result: Attribute
        if tok.kind == .graphName {
            var gs: [String] = []
            repeat { gs.append(try expect(.graphName, "a graph reference '@name'").text) } while accept(",")
            result = .graphs(gs)
        } else if tok.kind == .identifier || tok.kind == .string, peekToken(1).kind == .punct, peekToken(1).text == "=" {
            var cs: [NamedGraph] = []
            repeat {
                guard tok.kind == .identifier || tok.kind == .string else {
                    throw fail("expected a candidate 'name = @graph', found \(tok.display)", at: tok)
                }
                let name = bump().text
                try expect("=", "after candidate name")
                cs.append(NamedGraph(name: name, graph: try expect(.graphName, "a graph reference '@name'").text))
            } while accept(",")
            result = .candidates(cs)
        } else {
            var xs: [Int] = []
            repeat { xs.append(try signedInt()) } while accept(",")
            result = .ints(xs)
        }
        try expect("]", "to close the list")
        return result
    }

    /// Builds the typed op through the generic bridge; records the error (at the attribute it names, if any).
    func buildOp(_ kind: OpKind, _ attrs: [ParsedAttribute], _ kindToken: TextToken) -> Op? {
        let emptyForms: [Attribute] = [.ints([]), .graphs([]), .candidates([])]
        var current = attrs.map(\.attribute)
        var form = [Int](repeating: 0, count: attrs.count)
        while true {
            do {
                return try Op(kind: kind, attributes: current)
            } catch {
                let message = (error as? AttributeError)?.message ?? "\(error)"
                let named = attrs.indices.filter { message.contains("'\(attrs[$0].attribute.name)'") }
                // An empty list has no element to tell its type: try the next list type for the attribute the op rejected.
                if let i = named.first(where: { attrs[$0].isEmptyList }), form[i] + 1 < emptyForms.count {
                    form[i] += 1
                    current[i].value = emptyForms[form[i]]
                    continue
                }
                if let i = named.last {
                    report(message, at: attrs[i].nameToken)
                } else if let missing = Self.firstQuoted(message),
                          let typo = attrs.first(where: { TextNames.editDistance($0.attribute.name, missing) <= 2 }) {
                    // A required attribute is missing and a near-miss is present: point at the likely typo.
                    report(message, at: typo.nameToken, hint: "did you mean '\(missing)' instead of '\(typo.attribute.name)'?")
                } else {
                    report(message, at: kindToken)
                }
                return nil
            }
        }
    }

    /// The first `'...'` in a message (the attribute an ``AttributeError`` names).
    static func firstQuoted(_ message: String) -> String? {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : nil
    }

    // MARK: Numbers

    /// An optionally negative integer literal.
    func signedInt() throws -> Int {
        let start = tok
        let negative = accept("-")
        let n = try expect(.number, "an integer")
        guard !n.isFloatLiteral else { throw fail("expected an integer, found '\(n.text)'", at: n) }
        guard let v = Int((negative ? "-" : "") + n.text) else { throw fail("integer '\(n.text)' is out of range", at: start) }
        return v
    }

    /// An optionally negative int or float literal (`inf` and `nan` included).
    func signedScalar() throws -> Scalar {
        let negative = accept("-")
        guard tok.kind == .number || isKeyword("inf") || isKeyword("nan") else {
            throw fail("expected a number, found \(tok.display)", at: tok)
        }
        return try literal(bump(), negative: negative)
    }

    /// The scalar a literal token stands for; floats read back bit-exactly from Swift's shortest form.
    func literal(_ t: TextToken, negative: Bool) throws -> Scalar {
        let text = (negative ? "-" : "") + t.text
        if t.kind == .identifier || t.isFloatLiteral {
            guard let d = Double(text), d.isFinite || t.kind == .identifier else {
                throw fail("number '\(t.text)' is out of range", at: t)
            }
            return .float(d)
        }
        guard let i = Int(text) else { throw fail("integer '\(t.text)' is out of range", at: t) }
        return .int(i)
    }

    // MARK: Value-choice expressions (the inverse of ValueExpr.description)

    /// `cond ? a : b`, or a comparison.
    func expression() throws -> ValueExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("expression is nested too deeply", at: tok) }
        let c = try binary(level: 1)
        guard accept("?") else { return c }
        let a = try expression()
        try expect(":", "in 'condition ? a : b'")
        return .cond(c, a, try expression())
    }

    /// Left-associative binary operators at `level` (1 comparisons, 2 additive, 3 multiplicative) and above.
    func binary(level: Int) throws -> ValueExpr {
        if level > 3 { return try unary() }
        var lhs = try binary(level: level + 1)
        while tok.kind == .punct, let op = BinaryOp(rawValue: tok.text), op.precedence == level {
            bump()
            lhs = .binary(op, lhs, try binary(level: level + 1))
        }
        return lhs
    }

    /// `-x`; a minus directly before a literal is part of the literal (`-1` is the constant -1).
    func unary() throws -> ValueExpr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw fail("expression is nested too deeply", at: tok) }
        guard isPunct("-") else { return try primary() }
        bump()
        if tok.kind == .number || isKeyword("inf") || isKeyword("nan") {
            return .const(try literal(bump(), negative: true))
        }
        return .neg(try unary())
    }

    /// A literal, `$label`, `(expr)`, `min(...)` or `max(...)`.
    func primary() throws -> ValueExpr {
        switch tok.kind {
        case .number:
            return .const(try literal(bump(), negative: false))
        case .label:
            return .choice(bump().text)
        case .identifier where tok.text == "inf" || tok.text == "nan":
            return .const(try literal(bump(), negative: false))
        case .identifier where tok.text == "min" || tok.text == "max":
            let isMin = bump().text == "min"
            try expect("(", "after '\(isMin ? "min" : "max")'")
            var args: [ValueExpr] = []
            if !isPunct(")") {
                repeat { args.append(try expression()) } while accept(",")
            }
            try expect(")", "to close '\(isMin ? "min" : "max")(...)'")
            return isMin ? .min(args) : .max(args)
        case .punct where tok.text == "(":
            bump()
            let e = try expression()
            try expect(")", "to close '('")
            return e
        default:
            throw fail("expected a number, '$label', '(' , 'min' or 'max', found \(tok.display)", at: tok)
        }
    }
}
