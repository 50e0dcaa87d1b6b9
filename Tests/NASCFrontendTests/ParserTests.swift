// ParserTests: the lexer and parser produce the expected syntax trees, locations and recovery.
import Testing
@testable import NASCFrontend
import NASCIR

@Suite struct ParserTests {
    func parse(_ s: String) throws -> Program { try Frontend.parse(source: s, file: "p.nas") }

    func value(_ stmt: Stmt) -> Expr? { if case .bind(_, let v) = stmt.kind { return v }; return nil }

    @Test func lexerTokensAndLocations() {
        let (tokens, diags) = Lexer(source: "a = x -> conv2d(out: 16) # c\n  b // 2 => 1.5e3 \"s\\n\"", file: "f").tokenize()
        #expect(diags.isEmpty)
        #expect(tokens.map(\.kind) == [
            .identifier("a"), .punct("="), .identifier("x"), .punct("->"), .identifier("conv2d"), .punct("("),
            .identifier("out"), .punct(":"), .int(16), .punct(")"), .identifier("b"), .punct("//"), .int(2),
            .punct("=>"), .float(1500), .string("s\n"), .eof,
        ])
        #expect(tokens[10].location == SourceLocation(file: "f", line: 2, column: 3))
        #expect(tokens[10].afterNewline && !tokens[11].afterNewline)
    }

    @Test func lexerErrorsAreLocated() {
        let (_, diags) = Lexer(source: "a = $\nb = \"open", file: "f").tokenize()
        #expect(diags.map(\.description) == ["f:1:5: error: unexpected character '$'", "f:2:5: error: unterminated string"])
    }

    @Test func declarations() throws {
        let p = try parse("""
        space demo
        input x: [1, 28, 28], t: i64[16]
        block B(out, k = 3)(x, y) {
            return x
        }
        z = x
        return z
        """)
        #expect(p.spaceName == "demo")
        #expect(p.inputs.map(\.name) == ["x", "t"])
        #expect(p.inputs[1].shape?.dtype == .i64)
        #expect(p.blocks.count == 1)
        #expect(p.blocks[0].parameters.map(\.name) == ["out", "k"])
        #expect(p.blocks[0].parameters[1].defaultValue?.kind == .int(3))
        #expect(p.blocks[0].inputs.map(\.name) == ["x", "y"])
        #expect(p.statements.count == 2)
        #expect(p.statements[0].location == SourceLocation(file: "p.nas", line: 6, column: 1))
    }

    @Test func precedenceAndPipes() throws {
        let p = try parse("a = x -> f(1 + 2 * 3, k: -w // 2) -> g\nb = c > 1 ? 2 : 3")
        guard case .pipe(let lhs, let g)? = value(p.statements[0])?.kind, case .pipe(let x, let f) = lhs.kind else {
            Issue.record("not a left-associated pipe"); return
        }
        #expect(x.kind == .name("x"))
        #expect(g.kind == .name("g"))
        guard case .call(_, let args?, nil) = f.kind else { Issue.record("not a call"); return }
        #expect(args.count == 2 && args[0].label == nil && args[1].label == "k")
        guard case .binary(.add, _, let mul) = args[0].value.kind, case .binary(.mul, _, _) = mul.kind else {
            Issue.record("* does not bind tighter than +"); return
        }
        guard case .binary(.floorDiv, let neg, _) = args[1].value.kind, case .negate = neg.kind else {
            Issue.record("unary minus does not bind tighter than //"); return
        }
        guard case .conditional(let c, _, _)? = value(p.statements[1])?.kind, case .binary(.gt, _, _) = c.kind else {
            Issue.record("conditional"); return
        }
    }

    @Test func braceBodiesAndBinders() throws {
        let p = try parse("""
        a = layer_choice("c") {
            one: relu
            two: conv2d(out: 8, kernel: 3), three: identity
        }
        b = repeat(depth: [1, 2]) { i => B(i) }
        """)
        guard case .call(_, let args?, let body?)? = value(p.statements[0])?.kind else { Issue.record("call with body"); return }
        #expect(args.count == 1)
        #expect(body.binder == nil)
        #expect(body.entries.map(\.name) == ["one", "two", "three"])
        guard case .call(_, _, let body2?)? = value(p.statements[1])?.kind else { Issue.record("repeat body"); return }
        #expect(body2.binder == "i")
        #expect(body2.entries.count == 1 && body2.entries[0].name == nil)
    }

    @Test func callsMustStartOnTheCalleesLine() throws {
        // `(a, b)` on the next line is a new expression, so this is two statements' worth of syntax: an error.
        #expect(throws: DiagnosticError.self) { try parse("a = f\n(b, c)") }
        let p = try parse("a = f\nb = (c, d) -> add")
        #expect(p.statements.count == 2)
    }

    @Test func loopsTuplesListsAndIndexing() throws {
        let p = try parse("""
        for i in range(3) {
            xs = xs + [h]
            h = (h, xs[-1]) -> add
        }
        """)
        guard case .loop(let v, let seq, let body) = p.statements[0].kind else { Issue.record("loop"); return }
        #expect(v == "i")
        guard case .call(_, _, nil) = seq.kind else { Issue.record("the loop's '{' must not become a trailing body"); return }
        #expect(body.count == 2)
    }

    @Test func recoversAndReportsEveryBadStatement() {
        do {
            _ = try parse("a = (\nb = x -> relu\nc = ]\nd = y\ne = f(,)\n")
            Issue.record("expected errors")
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.map(\.location.line) == [2, 3, 5])
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "a = " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: DiagnosticError.self) { try parse(deep) }
        let minus = "a = " + String(repeating: "-", count: 5000) + "1"
        #expect(throws: DiagnosticError.self) { try parse(minus) }
    }
}
