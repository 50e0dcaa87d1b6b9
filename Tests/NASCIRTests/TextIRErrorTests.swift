// Tests that malformed text IR is rejected with exact `file:line:col: error: message` diagnostics, all of them at once.
import Testing
@testable import NASCIR

@Suite struct TextIRErrorTests {
    /// The diagnostics parsing `text` throws (empty if it parses).
    static func errors(_ text: String, file: String = "bad.nir") -> [String] {
        do {
            _ = try TextIR.parse(text, file: file)
            return []
        } catch let e as DiagnosticError {
            return e.diagnostics.map(\.description)
        } catch {
            return ["unexpected error type: \(error)"]
        }
    }

    /// A valid space with one line replaced (1-based) by `line`.
    static func mutate(_ n: Int, _ line: String) -> String {
        var lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[n - 1] = line
        return lines.joined(separator: "\n")
    }

    static let valid = """
        space "s" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %a = relu(%x)
          return %a
        }

        """

    @Test func validBaseParses() {
        #expect(Self.errors(Self.valid) == [])
    }

    @Test func missingClosingBrace() {
        #expect(Self.errors(Self.mutate(6, "")) == ["bad.nir:7:1: error: expected '}' to close graph @main"])
        // A following graph also ends the unclosed one.
        let two = Self.mutate(6, "graph @other() {\n  return\n}")
        #expect(Self.errors(two) == ["bad.nir:6:1: error: expected '}' to close graph @main"])
    }

    @Test func missingOpeningBrace() {
        #expect(Self.errors(Self.mutate(3, "graph @main(%x: f32[N,4])"))
                == ["bad.nir:3:26: error: expected '{' after the graph header, found end of line"])
    }

    @Test func badType() {
        #expect(Self.errors(Self.mutate(3, "graph @main(%x: f33[N,4]) {"))
                == ["bad.nir:3:17: error: unknown element type 'f33' (expected f32 or i64)"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) : f32[N,-4]"))
                == ["bad.nir:4:25: error: expected a dimension (a size or N), found '-'"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) : f32[N,4"))
                == ["bad.nir:4:26: error: expected ']' after the dimensions, found end of line"])
    }

    @Test func unknownOpNamesTheClosestKind() throws {
        let text = Self.mutate(4, "  %a = reluu(%x)")
        #expect(Self.errors(text) == ["bad.nir:4:8: error: unknown op 'reluu'"])
        do {
            _ = try TextIR.parse(text, file: "bad.nir")
            Issue.record("parsed")
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.first?.hint == "did you mean 'relu'?")
        }
        let far = Self.errors(Self.mutate(4, "  %a = transformer(%x)"))
        #expect(far == ["bad.nir:4:8: error: unknown op 'transformer'"])
        #expect(TextNames.closest(to: "maxpool2d", in: OpKind.allCases.map(\.rawValue)) == "max_pool2d")
        #expect(TextNames.closest(to: "transformer", in: OpKind.allCases.map(\.rawValue)) == nil)
    }

    @Test func unknownAttributePointsAtIt() {
        #expect(Self.errors(Self.mutate(4, "  %a = conv2d(%x) {out = 8, kernel = 3, strde = 2}"))
                == ["bad.nir:4:41: error: unknown attribute 'strde' for conv2d"])
        // A misspelt required attribute: the error points at the misspelling, with a hint.
        let typo = Self.mutate(4, "  %a = conv2d(%x) {out = 8, kernal = 3}")
        #expect(Self.errors(typo) == ["bad.nir:4:29: error: conv2d requires attribute 'kernel'"])
        do {
            _ = try TextIR.parse(typo, file: "bad.nir")
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.first?.hint == "did you mean 'kernel' instead of 'kernal'?")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(Self.errors(Self.mutate(4, "  %a = linear(%x)"))
                == ["bad.nir:4:8: error: linear requires attribute 'out'"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) {out = 1, out = 2}"))
                == ["bad.nir:4:27: error: duplicate attribute 'out' on relu"])
    }

    @Test func badAttributeType() {
        #expect(Self.errors(Self.mutate(4, "  %a = conv2d(%x) {out = \"8\", kernel = 3}"))
                == ["bad.nir:4:20: error: attribute 'out' of conv2d must be a number or value-choice expression"])
        #expect(Self.errors(Self.mutate(4, "  %a = concat(%x) {axis = $w}"))
                == ["bad.nir:4:20: error: attribute 'axis' of concat must be a constant integer"])
        #expect(Self.errors(Self.mutate(4, "  %a = repeat(%x) {label = \"r\", depths = [@a], blocks = []}"))
                == ["bad.nir:4:33: error: attribute 'depths' of repeat must be a list of integers"])
        #expect(Self.errors(Self.mutate(4, "  %a = input_choice(%x) {label = \"i\", reduction = max}"))
                == ["bad.nir:4:39: error: attribute 'reduction' of input_choice must be one of sum, mean, concat, none"])
    }

    @Test func unterminatedString() {
        #expect(Self.errors(Self.mutate(1, "space \"s version 1 root @main"))
                == ["bad.nir:1:7: error: unterminated string literal"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) loc(\"f.nas"))
                == ["bad.nir:4:21: error: unterminated string literal"])
        #expect(Self.errors("space \"s\" version 1 root @main\ngraph @main() {\n  return\n}\nvalue_choice \"w")
                == ["bad.nir:5:14: error: unterminated string literal"])
        #expect(Self.errors(Self.mutate(1, "space \"a\\tb\" version 1 root @main"))
                == [#"bad.nir:1:9: error: unknown escape sequence '\t' (use \\, \" or \n)"#])
    }

    @Test func badNumbers() {
        #expect(Self.errors(Self.mutate(4, "  %a = dropout(%x) {p = 0.5x}"))
                == ["bad.nir:4:25: error: malformed number '0.5x'"])
        #expect(Self.errors(Self.mutate(4, "  %a = dropout(%x) {p = 1e}"))
                == ["bad.nir:4:25: error: malformed number '1e'"])
        #expect(Self.errors(Self.mutate(4, "  %a = dropout(%x) {p = 99999999999999999999}"))
                == ["bad.nir:4:25: error: integer '99999999999999999999' is out of range"])
        #expect(Self.errors(Self.mutate(4, "  %a = dropout(%x) {p = 1e999}"))
                == ["bad.nir:4:25: error: number '1e999' is out of range"])
        #expect(Self.errors(Self.mutate(5, "  return %a#1.5"))
                == ["bad.nir:5:13: error: bad output index '1.5'"])
        #expect(Self.errors(Self.mutate(1, "space \"s\" version 2 root @main"))
                == ["bad.nir:1:19: error: unsupported text IR version 2 (this nasc reads version 1)"])
    }

    @Test func garbage() {
        #expect(Self.errors(Self.mutate(4, "  this is garbage"))
                == ["bad.nir:4:3: error: expected a node '%name = op(...)', 'return' or '}', found 'this'"])
        #expect(Self.errors(Self.mutate(2, "!!! ~~~"))
                == ["bad.nir:2:1: error: unexpected character '!'"])
        #expect(Self.errors(Self.mutate(2, "%x = relu(%y)"))
                == ["bad.nir:2:1: error: expected 'space', 'value_choice' or 'graph', found %x"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) extra"))
                == ["bad.nir:4:17: error: expected end of line, found 'extra'"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x) {p = 1 +}"))
                == ["bad.nir:4:25: error: expected a number, '$label', '(' , 'min' or 'max', found '}'"])
        #expect(Self.errors(Self.mutate(4, "  %a = relu(%x @"))
                == ["bad.nir:4:16: error: expected a graph name after '@'"])
        #expect(Self.errors("") == ["bad.nir:1:1: error: missing header 'space \"name\" version 1 root @graph'"])
        #expect(Self.errors("graph @g() {\n  return\n}\n")
                == ["bad.nir:1:1: error: missing header 'space \"name\" version 1 root @graph'"])
        #expect(Self.errors("// only a comment\n\n") == ["bad.nir:1:1: error: missing header 'space \"name\" version 1 root @graph'"])
        #expect(Self.errors(Self.valid + "space \"t\" version 1 root @main\n")
                == ["bad.nir:7:1: error: duplicate 'space' header"])
        #expect(Self.errors(Self.mutate(5, "")) == ["bad.nir:6:1: error: graph @main has no 'return'"])
    }

    @Test func everyErrorIsReportedInOneParse() {
        let text = """
            space "multi" version 1 root @main
            value_choice "w" [1, 2x]

            graph @main(%x: f32[N,4]) {
              %a = reluu(%x)
              %b = conv2d(%a) {out = 8}
              %c = relu(%b) : q32[N]
              %d = relu(%c) loc("oops)
              return %d
            }

            graph @sub(%y: f32[N,4] {
              %e = linear(%y) {out = 3, bias = 1}
              return %e

            """
        #expect(Self.errors(text, file: "multi.nir") == [
            "multi.nir:2:22: error: malformed number '2x'",
            "multi.nir:5:8: error: unknown op 'reluu'",
            "multi.nir:6:8: error: conv2d requires attribute 'kernel'",
            "multi.nir:7:19: error: unknown element type 'q32' (expected f32 or i64)",
            "multi.nir:8:21: error: unterminated string literal",
            "multi.nir:12:25: error: expected ')' after the graph inputs, found '{'",
            "multi.nir:13:29: error: attribute 'bias' of linear must be true or false",
            "multi.nir:15:1: error: expected '}' to close graph @sub",
        ])
    }
}
