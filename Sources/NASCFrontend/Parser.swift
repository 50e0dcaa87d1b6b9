// Parser: recursive descent from tokens to the AST, recovering at statement boundaries to report many errors.
import NASCIR

/// Parses a token stream into a ``Program``. Never traps: malformed input yields diagnostics.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    var depth = 0
    /// Set while parsing a loop's sequence, where `{` starts the body rather than a trailing brace body.
    var noTrailingBody = false
    /// Errors found so far.
    public private(set) var diagnostics: [Diagnostic] = []
    /// Names bound or declared in regions skipped after an error.
    public private(set) var brokenNames: Set<String> = []
    static let maxDepth = 200

    struct ParseFailure: Error {}

    /// Creates a parser over tokens ending with `.eof`.
    public init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(.eof, at: .unknown)] : tokens
    }

    /// Lexes and parses `source` in one step.
    public static func parse(source: String, file: String) -> (Program, [Diagnostic]) {
        let (tokens, lexDiags) = Lexer(source: source, file: file).tokenize()
        var p = Parser(tokens: tokens)
        let program = p.parseProgram()
        return (program, lexDiags + p.diagnostics)
    }

    var current: Token { tokens[min(pos, tokens.count - 1)] }
    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }
    mutating func next() -> Token { let t = current; if pos < tokens.count - 1 { pos += 1 }; return t }

    mutating func fail(_ message: String, at loc: SourceLocation? = nil, hint: String? = nil) -> ParseFailure {
        diagnostics.append(Diagnostic(.error, at: loc ?? current.location, message, hint: hint))
        return ParseFailure()
    }

    mutating func expect(_ p: String, _ what: String, hint: String? = nil) throws -> Token {
        guard current.isPunct(p) else {
            throw fail("expected '\(p)' \(what), found \(current.kind.display)", hint: hint)
        }
        return next()
    }

    mutating func expectIdentifier(_ what: String) throws -> (String, SourceLocation) {
        guard let s = current.identifier else {
            if case .keyword(let k) = current.kind {
                throw fail("'\(k)' is a reserved word and cannot be used as \(what)")
            }
            throw fail("expected \(what), found \(current.kind.display)")
        }
        let t = next()
        return (s, t.location)
    }

    /// After an error: remembers the names the skipped tokens `from..<pos` bind or declare, and returns a
    /// placeholder `return` if the failed statement was one (so no "missing return" error follows).
    mutating func salvage(from start: Int) -> Stmt? {
        var i = start
        while i < pos && i < tokens.count - 1 {
            if let n = tokens[i].identifier, tokens[i + 1].isPunct("=") || (i > 0 && tokens[i - 1].isKeyword("block")) {
                brokenNames.insert(n)
            }
            i += 1
        }
        if start < tokens.count, tokens[start].isKeyword("return") {
            return Stmt(.ret([Expr(.invalid, at: tokens[start].location)]), at: tokens[start].location)
        }
        return nil
    }

    /// Skips to the start of the next statement or declaration on a later line.
    mutating func recover(insideBlock: Bool) {
        let startPos = pos
        while current.kind != .eof {
            if (pos > startPos || current.afterNewline) && current.afterNewline {
                if current.isKeyword("return") || current.isKeyword("for") || current.isKeyword("block") || current.isKeyword("input") || current.isKeyword("space") { return }
                if current.identifier != nil && peek().isPunct("=") { return }
                if current.isPunct("}") { return }
            }
            if insideBlock && current.isPunct("}") && pos > startPos { return }
            _ = next()
        }
    }

    /// Parses a whole file.
    public mutating func parseProgram() -> Program {
        var program = Program()
        while current.kind != .eof {
            let before = pos
            do {
                if current.isKeyword("space") {
                    let t = next()
                    switch current.kind {
                    case .identifier(let s), .string(let s):
                        if program.spaceName != nil { _ = fail("the space name is already set", at: t.location) }
                        program.spaceName = s; _ = next()
                    default: throw fail("expected a space name after 'space', found \(current.kind.display)")
                    }
                } else if current.isKeyword("input") {
                    _ = next()
                    repeat {
                        program.inputs.append(try parseInputDecl(requireShape: true))
                    } while current.isPunct(",") && { _ = next(); return true }()
                } else if current.isKeyword("block") {
                    program.blocks.append(try parseBlock())
                } else if current.isPunct("}") {
                    throw fail("unexpected '}' outside a block")
                } else {
                    program.statements.append(try parseStatement())
                }
            } catch {
                recover(insideBlock: false)
                if pos == before { _ = next() }
                if let placeholder = salvage(from: before) { program.statements.append(placeholder) }
            }
        }
        program.brokenNames = brokenNames
        return program
    }

    mutating func parseInputDecl(requireShape: Bool) throws -> InputDecl {
        let (name, loc) = try expectIdentifier("an input name")
        var shape: ShapeSyntax?
        if current.isPunct(":") {
            _ = next()
            shape = try parseShape()
        } else if requireShape {
            throw fail("the space input '\(name)' needs a shape", at: loc, hint: "write 'input \(name): [1, 28, 28]' (the batch dimension is implied)")
        }
        return InputDecl(name: name, shape: shape, location: loc)
    }

    mutating func parseShape() throws -> ShapeSyntax {
        let start = current.location
        var dtype = DType.f32
        if let s = current.identifier {
            guard let d = DType(rawValue: s) else {
                throw fail("unknown element type '\(s)'", hint: "use f32 or i64")
            }
            dtype = d; _ = next()
        }
        _ = try expect("[", "to start a shape", hint: "shapes are written like [1, 28, 28]")
        var dims: [Expr] = []
        while !current.isPunct("]") {
            dims.append(try parseExpr())
            if current.isPunct(",") { _ = next() } else { break }
        }
        _ = try expect("]", "to close the shape")
        return ShapeSyntax(dtype: dtype, dims: dims, location: start)
    }

    mutating func parseBlock() throws -> BlockDecl {
        let kw = next()
        let (name, _) = try expectIdentifier("a block name")
        _ = try expect("(", "after the block name", hint: "declare a block as 'block \(name)(params)(x) { ... }'")
        var params: [Parameter] = []
        while !current.isPunct(")") {
            let (p, loc) = try expectIdentifier("a parameter name")
            var def: Expr?
            if current.isPunct("=") { _ = next(); def = try parseExpr() }
            params.append(Parameter(name: p, defaultValue: def, location: loc))
            if current.isPunct(",") { _ = next() } else { break }
        }
        _ = try expect(")", "to close the parameter list")
        guard current.isPunct("(") else {
            throw fail("expected the block's tensor inputs after its parameters, found \(current.kind.display)",
                       hint: "declare a block as 'block \(name)(params)(x) { ... }'")
        }
        _ = next()
        var inputs: [InputDecl] = []
        while !current.isPunct(")") {
            inputs.append(try parseInputDecl(requireShape: false))
            if current.isPunct(",") { _ = next() } else { break }
        }
        _ = try expect(")", "to close the input list")
        _ = try expect("{", "to start the block body")
        var body: [Stmt] = []
        while !current.isPunct("}") && current.kind != .eof {
            let before = pos
            do {
                if current.isKeyword("block") { throw fail("blocks cannot be declared inside blocks", hint: "declare '\(name)' and the inner block at top level") }
                if current.isKeyword("input") { throw fail("a block's inputs are declared in its header: block \(name)(...)(x)") }
                body.append(try parseStatement())
            } catch {
                recover(insideBlock: true)
                if pos == before { _ = next() }
                if let placeholder = salvage(from: before) { body.append(placeholder) }
            }
        }
        if current.kind == .eof {
            _ = fail("block '\(name)' is not closed", at: kw.location, hint: "add '}' at the end of the block")
        } else { _ = next() }
        return BlockDecl(name: name, parameters: params, inputs: inputs, body: body, location: kw.location)
    }

    mutating func parseStatement() throws -> Stmt {
        let start = current.location
        if current.isKeyword("return") {
            _ = next()
            var values = [try parseExpr()]
            while current.isPunct(",") { _ = next(); values.append(try parseExpr()) }
            return Stmt(.ret(values), at: start)
        }
        if let name = current.identifier, peek().isPunct("=") {
            _ = next(); _ = next()
            return Stmt(.bind(name: name, value: try parseExpr()), at: start)
        }
        if current.isKeyword("for") {
            _ = next()
            let (v, _) = try expectIdentifier("a loop variable")
            guard current.identifier == "in" else { throw fail("expected 'in' after the loop variable, found \(current.kind.display)", hint: "for i in range(4) { ... }") }
            _ = next()
            noTrailingBody = true
            let seq: Expr
            do { seq = try parseExpr() } catch { noTrailingBody = false; throw error }
            noTrailingBody = false
            let open = try expect("{", "to start the loop body")
            var body: [Stmt] = []
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw fail("loops are nested too deeply") }
            while !current.isPunct("}") {
                if current.kind == .eof { throw fail("unclosed loop body", at: open.location, hint: "add '}'") }
                body.append(try parseStatement())
            }
            _ = next()
            return Stmt(.loop(variable: v, sequence: seq, body: body), at: start)
        }
        if current.identifier != nil {
            throw fail("expected a statement ('name = ...' or 'return ...'), found \(current.kind.display)",
                       hint: "bind the result to a name, e.g. 'y = ...'")
        }
        throw fail("expected a statement, found \(current.kind.display)")
    }

    // MARK: Expressions

    /// Parses one expression.
    public mutating func parseExpr() throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw fail("expression is nested too deeply") }
        var lhs = try parseTernary()
        while current.isPunct("->") {
            let arrow = next()
            let rhs = try parseTernary()
            lhs = Expr(.pipe(lhs, rhs), at: arrow.location)
        }
        return lhs
    }

    mutating func parseTernary() throws -> Expr {
        let c = try parseComparison()
        guard current.isPunct("?") else { return c }
        _ = next()
        let a = try parseTernary()
        _ = try expect(":", "in a conditional expression 'c ? a : b'")
        let b = try parseTernary()
        return Expr(.conditional(c, a, b), at: c.location)
    }

    static let comparisons: [String: BinaryOp] = ["<": .lt, "<=": .le, ">": .gt, ">=": .ge, "==": .eq, "!=": .ne]

    mutating func parseComparison() throws -> Expr {
        let lhs = try parseAdditive()
        if case .punct(let p) = current.kind, let op = Self.comparisons[p] {
            let t = next()
            let rhs = try parseAdditive()
            return Expr(.binary(op, lhs, rhs), at: t.location)
        }
        return lhs
    }

    /// Counts an operator of a left-deep chain toward the nesting limit (the tree is as deep as the chain).
    mutating func deepen() throws {
        depth += 1
        if depth > Self.maxDepth { throw fail("expression is nested too deeply or too long", hint: "split it over several statements") }
    }

    mutating func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        let saved = depth
        defer { depth = saved }
        while current.isPunct("+") || current.isPunct("-") {
            try deepen()
            let t = next()
            let rhs = try parseMultiplicative()
            lhs = Expr(.binary(t.isPunct("+") ? .add : .sub, lhs, rhs), at: t.location)
        }
        return lhs
    }

    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        let saved = depth
        defer { depth = saved }
        while true {
            if current.isPunct("*") || current.isPunct("/") || current.isPunct("//") || current.isPunct("%") { try deepen() }
            let op: BinaryOp
            if current.isPunct("*") { op = .mul } else if current.isPunct("/") { op = .div }
            else if current.isPunct("//") { op = .floorDiv } else if current.isPunct("%") { op = .mod } else { break }
            let t = next()
            let rhs = try parseUnary()
            lhs = Expr(.binary(op, lhs, rhs), at: t.location)
        }
        return lhs
    }

    mutating func parseUnary() throws -> Expr {
        if current.isPunct("-") {
            let t = next()
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw fail("expression is nested too deeply") }
            return Expr(.negate(try parseUnary()), at: t.location)
        }
        return try parsePostfix()
    }

    mutating func parsePostfix() throws -> Expr {
        var e = try parsePrimary()
        while true {
            if current.isPunct("(") && !current.afterNewline {
                let args = try parseArguments()
                var body: BraceBody?
                if current.isPunct("{") && !current.afterNewline && !noTrailingBody { body = try parseBraceBody() }
                e = Expr(.call(callee: e, args: args, body: body), at: e.location)
            } else if current.isPunct("[") && !current.afterNewline {
                let open = next()
                let i = try parseExpr()
                _ = try expect("]", "to close the index")
                e = Expr(.index(e, i), at: open.location)
            } else if current.isPunct("{") && !current.afterNewline && !noTrailingBody {
                let body = try parseBraceBody()
                e = Expr(.call(callee: e, args: nil, body: body), at: e.location)
            } else {
                return e
            }
        }
    }

    mutating func parseArguments() throws -> [Argument] {
        _ = next()
        var args: [Argument] = []
        while !current.isPunct(")") {
            if let name = current.identifier, peek().isPunct(":") {
                let t = next(); _ = next()
                args.append(Argument(label: name, labelLocation: t.location, value: try parseExpr()))
            } else {
                let v = try parseExpr()
                args.append(Argument(label: nil, labelLocation: v.location, value: v))
            }
            if current.isPunct(",") { _ = next() } else { break }
        }
        _ = try expect(")", "to close the argument list")
        return args
    }

    mutating func parseBraceBody() throws -> BraceBody {
        let open = next()
        var binder: String?
        var binderLoc = open.location
        if let b = current.identifier, peek().isPunct("=>") {
            binder = b; binderLoc = current.location
            _ = next(); _ = next()
        }
        var entries: [BraceEntry] = []
        while !current.isPunct("}") {
            if current.kind == .eof { throw fail("unclosed '{'", at: open.location, hint: "add '}'") }
            if let name = current.identifier, peek().isPunct(":") {
                let t = next(); _ = next()
                entries.append(BraceEntry(name: name, nameLocation: t.location, value: try parseExpr()))
            } else {
                let v = try parseExpr()
                entries.append(BraceEntry(name: nil, nameLocation: v.location, value: v))
            }
            while current.isPunct(",") || current.isPunct(";") { _ = next() }
        }
        _ = next()
        return BraceBody(binder: binder, binderLocation: binderLoc, entries: entries, location: open.location)
    }

    mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .int(let v): _ = next(); return Expr(.int(v), at: t.location)
        case .float(let v): _ = next(); return Expr(.float(v), at: t.location)
        case .string(let s): _ = next(); return Expr(.string(s), at: t.location)
        case .keyword("true"): _ = next(); return Expr(.bool(true), at: t.location)
        case .keyword("false"): _ = next(); return Expr(.bool(false), at: t.location)
        case .identifier(let s): _ = next(); return Expr(.name(s), at: t.location)
        case .punct("("):
            _ = next()
            var items: [Expr] = []
            var sawComma = false
            while !current.isPunct(")") {
                items.append(try parseExpr())
                if current.isPunct(",") { sawComma = true; _ = next() } else { break }
            }
            _ = try expect(")", "to close the parenthesis")
            if items.count == 1 && !sawComma { return items[0] }
            return Expr(.tuple(items), at: t.location)
        case .punct("["):
            _ = next()
            var items: [Expr] = []
            while !current.isPunct("]") {
                items.append(try parseExpr())
                if current.isPunct(",") { _ = next() } else { break }
            }
            _ = try expect("]", "to close the list")
            return Expr(.list(items), at: t.location)
        case .keyword(let k):
            throw fail("'\(k)' cannot start an expression")
        case .eof:
            throw fail("expected an expression, found end of file")
        case .punct(let p):
            throw fail("expected an expression, found '\(p)'")
        }
    }
}
