// TextParser: recursive-descent parser from text IR to a ModelSpace, collecting every syntax error it can find.

/// Parses text IR. Each statement is one line; after an error the parser skips to the next line, so one
/// run reports every malformed line. Attribute typing goes through ``Op/init(kind:attributes:)``.
/// Structural checks (dangling references, duplicate names, the root existing) are left to the verifier.
final class TextParser {
    /// Thrown inside a statement after its error was recorded; the statement loop recovers at the next line.
    struct Abort: Error {}

    let file: String
    var tokens: [TextToken]
    var pos = 0
    var diagnostics: [Diagnostic]
    /// Current nesting of value expressions (bounded so hostile input cannot exhaust the stack).
    var depth = 0
    static let maxDepth = 200

    var spaceName = ""
    var root = ""
    var sawHeader = false
    var graphs: [Graph] = []
    var valueChoices: [ValueChoiceDecl] = []

    /// Lexes `text`; lexer errors are kept and reported with the parser's.
    init(_ text: String, file: String) {
        let lexer = TextLexer(text, file: file)
        self.tokens = lexer.tokenize()
        self.diagnostics = lexer.diagnostics
        self.file = file
    }

    // MARK: Token helpers

    var tok: TextToken { tokens[pos] }

    func peekToken(_ k: Int) -> TextToken { tokens[min(pos + k, tokens.count - 1)] }

    @discardableResult
    func bump() -> TextToken {
        let t = tokens[pos]
        if t.kind != .eof { pos += 1 }
        return t
    }

    func location(_ t: TextToken) -> SourceLocation { SourceLocation(file: file, line: t.line, column: t.column) }

    /// Records an error at `t` (unless the lexer already reported that token) and returns the abort to throw.
    func fail(_ message: String, at t: TextToken, hint: String? = nil) -> Abort {
        report(message, at: t, hint: hint)
        return Abort()
    }

    /// Records an error at `t` without aborting the statement.
    func report(_ message: String, at t: TextToken, hint: String? = nil) {
        if t.kind != .invalid { diagnostics.append(.error(message, at: location(t), hint: hint)) }
    }

    func isPunct(_ s: String) -> Bool { tok.kind == .punct && tok.text == s }
    func isKeyword(_ s: String) -> Bool { tok.kind == .identifier && tok.text == s }
    var atEndOfLine: Bool { tok.kind == .newline || tok.kind == .eof }

    func accept(_ s: String) -> Bool {
        if isPunct(s) { bump(); return true }
        return false
    }

    func expect(_ s: String, _ context: String) throws {
        guard accept(s) else { throw fail("expected '\(s)' \(context), found \(tok.display)", at: tok) }
    }

    func expectKeyword(_ s: String, _ context: String) throws {
        guard isKeyword(s) else { throw fail("expected '\(s)' \(context), found \(tok.display)", at: tok) }
        bump()
    }

    func expect(_ kind: TextToken.Kind, _ what: String) throws -> TextToken {
        guard tok.kind == kind else { throw fail("expected \(what), found \(tok.display)", at: tok) }
        return bump()
    }

    func expectEndOfLine() throws {
        guard atEndOfLine else { throw fail("expected end of line, found \(tok.display)", at: tok) }
        bump()
    }

    /// Skips the rest of the current line (the newline itself stays).
    func skipLine() {
        while !atEndOfLine { bump() }
    }

    func skipNewlines() {
        while tok.kind == .newline { bump() }
    }

    // MARK: Top level

    /// Parses the whole input; throws every diagnostic found.
    func parse() throws -> ModelSpace {
        while true {
            skipNewlines()
            if tok.kind == .eof { break }
            do {
                if isKeyword("space") {
                    try header()
                } else if isKeyword("value_choice") {
                    try valueChoice()
                } else if isKeyword("graph") {
                    try graph()
                } else {
                    throw fail("expected 'space', 'value_choice' or 'graph', found \(tok.display)", at: tok)
                }
            } catch {
                skipLine()
            }
        }
        if !sawHeader {
            diagnostics.append(.error("missing header 'space \"name\" version \(ModelSpace.formatVersion) root @graph'",
                                      at: SourceLocation(file: file, line: 1, column: 1)))
        }
        if !diagnostics.isEmpty {
            let sorted = diagnostics.enumerated().sorted {
                ($0.element.location.line, $0.element.location.column, $0.offset)
                    < ($1.element.location.line, $1.element.location.column, $1.offset)
            }.map(\.element)
            throw DiagnosticError(sorted)
        }
        return ModelSpace(name: spaceName, root: root, graphs: graphs, valueChoices: valueChoices)
    }

    /// `space "name" version 1 root @graph`.
    func header() throws {
        let start = bump()
        if sawHeader { report("duplicate 'space' header", at: start) }
        sawHeader = true
        spaceName = try expect(.string, "the space name as a quoted string").text
        try expectKeyword("version", "after the space name")
        let v = try expect(.number, "the format version")
        guard Int(v.text) == ModelSpace.formatVersion else {
            throw fail("unsupported text IR version \(v.text) (this nasc reads version \(ModelSpace.formatVersion))", at: v)
        }
        try expectKeyword("root", "after the version")
        root = try expect(.graphName, "the root graph '@name'").text
        try expectEndOfLine()
    }

    /// `value_choice "label" [v, ...] loc(...)?`.
    func valueChoice() throws {
        let start = bump()
        let label = try expect(.string, "the value-choice label as a quoted string").text
        try expect("[", "before the values")
        var values: [Scalar] = []
        if !isPunct("]") {
            repeat { values.append(try signedScalar()) } while accept(",")
        }
        try expect("]", "after the values")
        let l = try optionalLocation() ?? location(start)
        try expectEndOfLine()
        valueChoices.append(ValueChoiceDecl(label: label, values: values, location: l))
    }

    /// `graph @name(%in: type loc(...)?, ...) loc(...)? {` node lines, `return ...`, `}`.
    func graph() throws {
        let start = bump()
        var g = Graph(name: "", location: location(start))
        var headerOK = true
        do {
            g.name = try expect(.graphName, "a graph name '@name'").text
            try expect("(", "before the graph inputs")
            if !isPunct(")") {
                repeat {
                    let n = try expect(.valueName, "an input '%name: type'")
                    try expect(":", "after the input name")
                    let t = try tensorType()
                    let l = try optionalLocation() ?? location(n)
                    g.inputs.append(GraphInput(name: n.text, type: t, location: l))
                } while accept(",")
            }
            try expect(")", "after the graph inputs")
            if let l = try optionalLocation() { g.location = l }
            guard isPunct("{") else { throw fail("expected '{' after the graph header, found \(tok.display)", at: tok) }
            bump()
            try expectEndOfLine()
        } catch {
            // Keep going into the body so its lines are checked too.
            headerOK = false
            skipLine()
        }
        var sawReturn = false
        let shown = "@" + TextNames.quoteIfNeeded(g.name)
        while true {
            skipNewlines()
            if tok.kind == .eof || isKeyword("graph") || isKeyword("value_choice") || isKeyword("space") {
                report("expected '}' to close graph \(shown)", at: tok)
                break
            }
            if isPunct("}") {
                let close = bump()
                if !sawReturn && headerOK { report("graph \(shown) has no 'return'", at: close) }
                do { try expectEndOfLine() } catch { skipLine() }
                break
            }
            do {
                if isKeyword("return") {
                    let r = bump()
                    if sawReturn { report("duplicate 'return' in graph \(shown)", at: r) }
                    sawReturn = true
                    g.outputs = []
                    if !atEndOfLine {
                        repeat { g.outputs.append(try valueRef()) } while accept(",")
                    }
                    try expectEndOfLine()
                } else if tok.kind == .valueName {
                    if let n = try node() { g.nodes.append(n) }
                } else {
                    throw fail("expected a node '%name = op(...)', 'return' or '}', found \(tok.display)", at: tok)
                }
            } catch {
                skipLine()
            }
        }
        graphs.append(g)
    }

    // MARK: Nodes

    /// `%name = kind(%a, %b#1) {attrs}? (: type, ...)? when(...)? loc(...)?`; nil when the op could not be built
    /// (the error is recorded and the rest of the line was still checked).
    func node() throws -> Node? {
        let nameTok = bump()
        try expect("=", "after the node name")
        let kindTok = try expect(.identifier, "an op name")
        let kind = OpKind(rawValue: kindTok.text)
        if kind == nil {
            let hint = TextNames.closest(to: kindTok.text, in: OpKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
            report("unknown op '\(kindTok.text)'", at: kindTok, hint: hint)
        }
        try expect("(", "after the op name")
        var inputs: [ValueRef] = []
        if !isPunct(")") {
            repeat { inputs.append(try valueRef()) } while accept(",")
        }
        try expect(")", "after the node inputs")
        var attrs: [ParsedAttribute] = []
        if isPunct("{") { attrs = try attributeBlock() }
        var types: [TensorType] = []
        if accept(":") {
            repeat { types.append(try tensorType()) } while accept(",")
        }
        let scope = try optionalScope()
        let l = try optionalLocation() ?? location(nameTok)
        try expectEndOfLine()
        guard let kind, let op = buildOp(kind, attrs, kindTok) else { return nil }
        return Node(name: nameTok.text, op: op, inputs: inputs, types: types, location: l, scope: scope)
    }

    /// `when(%sw == 0, %depth >= 1)` (a node's supernet candidate conditions), if present.
    func optionalScope() throws -> [CandidateCondition] {
        guard isKeyword("when"), peekToken(1).kind == .punct, peekToken(1).text == "(" else { return [] }
        bump(); bump()
        var out: [CandidateCondition] = []
        repeat {
            let choice = try expect(.valueName, "a choice '%name' in when(...)")
            let atLeast: Bool
            if accept("==") { atLeast = false } else if accept(">=") { atLeast = true } else {
                throw fail("expected '==' or '>=' after the choice in when(...), found \(tok.display)", at: tok)
            }
            let k = try expect(.number, "a candidate index in when(...)")
            guard !k.isFloatLiteral, let candidate = Int(k.text), candidate >= 0 else { throw fail("bad candidate index '\(k.text)'", at: k) }
            out.append(CandidateCondition(choice: choice.text, candidate: candidate, atLeast: atLeast))
        } while accept(",")
        try expect(")", "to close when(...)")
        return out
    }

    /// `%name` or `%name#slot`.
    func valueRef() throws -> ValueRef {
        let n = try expect(.valueName, "a value '%name'")
        guard accept("#") else { return ValueRef(n.text) }
        let s = try expect(.number, "an output index after '#'")
        guard !s.isFloatLiteral, let slot = Int(s.text) else { throw fail("bad output index '\(s.text)'", at: s) }
        return ValueRef(n.text, slot: slot)
    }

    /// `f32[N,3,32,32]`.
    func tensorType() throws -> TensorType {
        let d = try expect(.identifier, "a tensor type like 'f32[N,3]'")
        guard let dtype = DType(rawValue: d.text) else {
            throw fail("unknown element type '\(d.text)' (expected \(DType.allCases.map(\.rawValue).joined(separator: " or ")))", at: d)
        }
        try expect("[", "after the element type")
        var dims: [Dim] = []
        if !isPunct("]") {
            repeat {
                if isKeyword("N") {
                    bump()
                    dims.append(.batch)
                } else if tok.kind == .number, !tok.isFloatLiteral, let v = Int(tok.text) {
                    bump()
                    dims.append(.fixed(v))
                } else {
                    throw fail("expected a dimension (a size or N), found \(tok.display)", at: tok)
                }
            } while accept(",")
        }
        try expect("]", "after the dimensions")
        return TensorType(dtype, dims)
    }

    /// `loc("file":line:col)` (line and column optional), if present.
    func optionalLocation() throws -> SourceLocation? {
        guard isKeyword("loc"), peekToken(1).kind == .punct, peekToken(1).text == "(" else { return nil }
        bump(); bump()
        var l = SourceLocation(file: try expect(.string, "a quoted file name in loc(...)").text)
        if accept(":") {
            l.line = try signedInt()
            if accept(":") { l.column = try signedInt() }
        }
        try expect(")", "to close loc(...)")
        return l
    }
}
