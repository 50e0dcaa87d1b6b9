// TextLexer: splits text IR into tokens with 1-based line/column positions, reporting bad characters and literals.

/// The text IR lexer. Newlines are tokens (statements are one line each); `//` starts a comment only when it is
/// the first non-blank text on a line (elsewhere it is the floor-division operator).
final class TextLexer {
    private let bytes: [UInt8]
    private let file: String
    private var i = 0
    private var line = 1
    private var column = 1
    private var atLineStart = true
    /// Errors found while lexing (bad characters, unterminated strings, malformed numbers).
    private(set) var diagnostics: [Diagnostic] = []

    /// Creates a lexer over `text`; `file` names it in diagnostics.
    init(_ text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
        // A UTF-8 byte-order mark is not part of the text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }

    /// Every token, ending with exactly one `.eof`.
    func tokenize() -> [TextToken] {
        var out: [TextToken] = []
        while true {
            let t = next()
            out.append(t)
            if t.kind == .eof { return out }
        }
    }

    private func peek(_ k: Int = 0) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    private func advance() {
        let b = bytes[i]
        i += 1
        if b == 0x0A {
            line += 1; column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    /// Reports a lexical error; only the first one of each line (the rest of a bad line is usually noise).
    private func error(_ message: String, line: Int, column: Int) {
        if diagnostics.last?.location.line == line { return }
        diagnostics.append(.error(message, at: SourceLocation(file: file, line: line, column: column)))
    }

    private func text(from start: Int) -> String { String(decoding: bytes[start..<i], as: UTF8.self) }

    private func next() -> TextToken {
        while let b = peek() {
            if b == 0x20 || b == 0x09 || b == 0x0D {
                skipASCII { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            } else if b == 0x2F, peek(1) == 0x2F, atLineStart {
                while let c = peek(), c != 0x0A { advance() }
            } else {
                break
            }
        }
        let l = line, c = column
        func tok(_ k: TextToken.Kind, _ t: String) -> TextToken { TextToken(kind: k, text: t, line: l, column: c) }
        guard let b = peek() else { return tok(.eof, "") }
        if b == 0x0A {
            advance()
            atLineStart = true
            return tok(.newline, "\n")
        }
        atLineStart = false
        if TextNames.isIdentifierStart(b) { return tok(.identifier, identifier()) }
        if TextNames.isDigit(b) { return number(line: l, column: c) }
        switch b {
        case 0x22:  // "
            guard let s = string(line: l, column: c) else { return tok(.invalid, "\"") }
            return tok(.string, s)
        case 0x25, 0x40, 0x24:  // % @ $
            let kind: TextToken.Kind = b == 0x25 ? .valueName : b == 0x40 ? .graphName : .label
            let sigil = String(UnicodeScalar(b))
            advance()
            if let n = peek(), TextNames.isIdentifierStart(n) { return tok(kind, identifier()) }
            if peek() == 0x22 {
                guard let s = string(line: l, column: c) else { return tok(.invalid, sigil) }
                return tok(kind, s)
            }
            if b == 0x25 { return tok(.punct, "%") }
            let what = b == 0x40 ? "graph name" : "value-choice label"
            error("expected a \(what) after '\(sigil)'", line: l, column: c)
            return tok(.invalid, sigil)
        default:
            break
        }
        if let n = peek(1), let s = Self.twoCharOperator(b, n) {
            advance(); advance()
            return tok(.punct, s)
        }
        if let s = Self.oneCharPunct(b) {
            advance()
            return tok(.punct, s)
        }
        // Unexpected: consume one whole Unicode scalar.
        let start = i
        advance()
        while let n = peek(), n & 0xC0 == 0x80 { advance() }
        let bad = text(from: start)
        let shown = bad.unicodeScalars.first.map { $0.value < 0x20 || $0.value == 0x7F ? "U+\(String($0.value, radix: 16, uppercase: true))" : bad } ?? bad
        error("unexpected character '\(shown)'", line: l, column: c)
        return tok(.invalid, bad)
    }

    private static func twoCharOperator(_ a: UInt8, _ b: UInt8) -> String? {
        switch (a, b) {
        case (0x2F, 0x2F): return "//"
        case (0x3C, 0x3D): return "<="
        case (0x3E, 0x3D): return ">="
        case (0x3D, 0x3D): return "=="
        case (0x21, 0x3D): return "!="
        default: return nil
        }
    }

    private static func oneCharPunct(_ b: UInt8) -> String? {
        switch b {
        case 0x28: return "("
        case 0x29: return ")"
        case 0x7B: return "{"
        case 0x7D: return "}"
        case 0x5B: return "["
        case 0x5D: return "]"
        case 0x2C: return ","
        case 0x3A: return ":"
        case 0x3D: return "="
        case 0x23: return "#"
        case 0x3F: return "?"
        case 0x2B: return "+"
        case 0x2D: return "-"
        case 0x2A: return "*"
        case 0x2F: return "/"
        case 0x3C: return "<"
        case 0x3E: return ">"
        default: return nil
        }
    }

    private func identifier() -> String {
        let start = i
        skipASCII(TextNames.isIdentifierChar)
        return text(from: start)
    }

    /// Advances over ASCII bytes (never newlines) matching `match`, in one pass.
    private func skipASCII(_ match: (UInt8) -> Bool) {
        let b = bytes, n = b.count
        var j = i
        while j < n && match(b[j]) { j += 1 }
        column += j - i
        i = j
    }

    /// `digits [. digits] [(e|E) [+|-] digits]`; anything identifier-like glued on makes it malformed.
    private func number(line l: Int, column c: Int) -> TextToken {
        let start = i
        skipASCII(TextNames.isDigit)
        if peek() == 0x2E, let d = peek(1), TextNames.isDigit(d) {
            advance()
            skipASCII(TextNames.isDigit)
        }
        if let e = peek(), e == 0x65 || e == 0x45 {
            var k = 1
            if let s = peek(1), s == 0x2B || s == 0x2D { k = 2 }
            if let d = peek(k), TextNames.isDigit(d) {
                for _ in 0..<k { advance() }
                skipASCII(TextNames.isDigit)
            }
        }
        if let b = peek(), TextNames.isIdentifierChar(b) {
            skipASCII(TextNames.isIdentifierChar)
            let bad = text(from: start)
            error("malformed number '\(bad)'", line: l, column: c)
            return TextToken(kind: .invalid, text: bad, line: l, column: c)
        }
        return TextToken(kind: .number, text: text(from: start), line: l, column: c)
    }

    /// A string literal starting at the current `"`; nil (after reporting) when unterminated.
    private func string(line l: Int, column c: Int) -> String? {
        advance()  // opening quote
        var out: [UInt8] = []
        while let b = peek() {
            switch b {
            case 0x22:
                advance()
                return String(decoding: out, as: UTF8.self)
            case 0x0A:
                error("unterminated string literal", line: l, column: c)
                return nil
            case 0x5C:
                let el = line, ec = column
                advance()
                guard let e = peek(), e != 0x0A else { continue }
                advance()
                switch e {
                case 0x5C: out.append(0x5C)
                case 0x22: out.append(0x22)
                case 0x6E: out.append(0x0A)
                default:
                    error("unknown escape sequence '\\\(String(UnicodeScalar(e)))' (use \\\\, \\\" or \\n)", line: el, column: ec)
                    out.append(e)
                }
            default:
                // A run of ordinary bytes in one pass.
                let all = bytes, n = all.count
                var j = i
                while j < n {
                    let c = all[j]
                    if c == 0x22 || c == 0x5C || c == 0x0A { break }
                    if c & 0xC0 != 0x80 { column += 1 }
                    j += 1
                }
                out.append(contentsOf: all[i..<j])
                i = j
            }
        }
        error("unterminated string literal", line: l, column: c)
        return nil
    }
}
