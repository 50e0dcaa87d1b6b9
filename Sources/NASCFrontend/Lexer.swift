// Lexer: turns .nas source text into tokens, reporting bad characters and unterminated strings.
import NASCIR

/// Splits source text into ``Token``s. `#` starts a comment that runs to the end of the line.
public struct Lexer {
    /// Reserved words of the language.
    public static let keywords: Set<String> = ["space", "input", "block", "return", "true", "false", "for"]
    static let twoCharPuncts: Set<String> = ["->", "=>", "//", "<=", ">=", "==", "!="]
    static let oneCharPuncts: Set<Character> = ["(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "-", "*", "/",
                                                "%", "<", ">", "?", ";", "."]

    let chars: [Character]
    let file: String

    /// Creates a lexer over `source`; `file` names it in locations.
    public init(source: String, file: String) {
        self.chars = Array(source)
        self.file = file
    }

    /// All tokens, ending with `.eof`, plus any lexical errors.
    public func tokenize() -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var tokens: [Token] = []
        var diags: [Diagnostic] = []
        var i = 0, line = 1, col = 1
        var newline = true
        func loc(_ l: Int, _ c: Int) -> SourceLocation { SourceLocation(file: file, line: l, column: c) }
        func advance() {
            if chars[i] == "\n" { line += 1; col = 1 } else { col += 1 }
            i += 1
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" || c == "\r\n" { newline = true; line += 1; col = 1; i += 1; continue }
            if c.isWhitespace { advance(); continue }
            if c == "#" {
                while i < chars.count, chars[i] != "\n", chars[i] != "\r\n" { advance() }
                continue
            }
            let start = loc(line, col)
            let startNewline = newline
            newline = false
            if c.isLetter && c.isASCII || c == "_" {
                var s = ""
                while i < chars.count, (chars[i].isASCII && (chars[i].isLetter || chars[i].isNumber)) || chars[i] == "_" {
                    s.append(chars[i]); advance()
                }
                tokens.append(Token(Self.keywords.contains(s) ? .keyword(s) : .identifier(s), at: start, afterNewline: startNewline))
                continue
            }
            if c.isASCII && c.isNumber {
                var s = ""
                var isFloat = false
                while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == "_" {
                    if chars[i] != "_" { s.append(chars[i]) }; advance()
                }
                if i + 1 < chars.count, chars[i] == ".", chars[i + 1].isASCII, chars[i + 1].isNumber {
                    isFloat = true
                    s.append("."); advance()
                    while i < chars.count, chars[i].isASCII, chars[i].isNumber { s.append(chars[i]); advance() }
                }
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    var j = i + 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
                    if j < chars.count, chars[j].isASCII, chars[j].isNumber {
                        isFloat = true
                        s.append("e"); advance()
                        if chars[i] == "+" || chars[i] == "-" { s.append(chars[i]); advance() }
                        while i < chars.count, chars[i].isASCII, chars[i].isNumber { s.append(chars[i]); advance() }
                    }
                }
                if isFloat {
                    if let f = Double(s), f.isFinite { tokens.append(Token(.float(f), at: start, afterNewline: startNewline)) }
                    else {
                        diags.append(Diagnostic(.error, at: start, "number '\(s)' is out of range"))
                        tokens.append(Token(.float(0), at: start, afterNewline: startNewline))
                    }
                } else if let v = Int(s) {
                    tokens.append(Token(.int(v), at: start, afterNewline: startNewline))
                } else {
                    diags.append(Diagnostic(.error, at: start, "integer '\(s)' is too large"))
                    tokens.append(Token(.int(0), at: start, afterNewline: startNewline))
                }
                continue
            }
            if c == "\"" {
                advance()
                var s = ""
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == "\n" || d == "\r\n" { break }
                    if d == "\"" { advance(); closed = true; break }
                    if d == "\\", i + 1 < chars.count {
                        advance()
                        let e = chars[i]
                        switch e {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "\\", "\"": s.append(e)
                        default:
                            diags.append(Diagnostic(.error, at: loc(line, col - 1), "unknown escape '\\\(e)' in string",
                                                    hint: "use \\\\, \\\", \\n or \\t"))
                        }
                        advance()
                        continue
                    }
                    s.append(d); advance()
                }
                if !closed {
                    diags.append(Diagnostic(.error, at: start, "unterminated string", hint: "close the string with '\"' on the same line"))
                }
                tokens.append(Token(.string(s), at: start, afterNewline: startNewline))
                continue
            }
            if i + 1 < chars.count, Self.twoCharPuncts.contains(String([c, chars[i + 1]])) {
                let p = String([c, chars[i + 1]])
                advance(); advance()
                tokens.append(Token(.punct(p), at: start, afterNewline: startNewline))
                continue
            }
            if Self.oneCharPuncts.contains(c) {
                advance()
                tokens.append(Token(.punct(String(c)), at: start, afterNewline: startNewline))
                continue
            }
            diags.append(Diagnostic(.error, at: start, "unexpected character '\(c)'",
                                    hint: c == "'" ? "strings use double quotes" : "comments start with '#'"))
            advance()
        }
        tokens.append(Token(.eof, at: loc(line, col), afterNewline: true))
        return (tokens, diags)
    }
}
