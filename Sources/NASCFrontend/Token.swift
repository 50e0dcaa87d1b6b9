// Token: the lexical units of the .nas space language, each with its source location.
import NASCIR

/// What a token is.
public enum TokenKind: Hashable, Sendable {
    case identifier(String)
    case int(Int)
    case float(Double)
    case string(String)
    /// Punctuation and operators: `( ) [ ] { } , : = -> => + - * / // % < <= > >= == != ? ;`.
    case punct(String)
    /// Reserved words: `space`, `input`, `block`, `return`, `true`, `false`, `for`.
    case keyword(String)
    case eof

    /// How the token reads in a message (`'conv2d'`, `end of file`).
    public var display: String {
        switch self {
        case .identifier(let s): return "'\(s)'"
        case .int(let i): return "'\(i)'"
        case .float(let f): return "'\(f)'"
        case .string(let s): return "string \"\(s)\""
        case .punct(let p): return "'\(p)'"
        case .keyword(let k): return "'\(k)'"
        case .eof: return "end of file"
        }
    }
}

/// A token and where it starts.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var location: SourceLocation
    /// True when a line break separates this token from the previous one (calls and indexing
    /// must start on the same line as their callee).
    public var afterNewline: Bool

    /// Creates a token.
    public init(_ kind: TokenKind, at location: SourceLocation, afterNewline: Bool = false) {
        self.kind = kind; self.location = location; self.afterNewline = afterNewline
    }

    /// True for this punctuation.
    public func isPunct(_ p: String) -> Bool { kind == .punct(p) }
    /// True for this keyword.
    public func isKeyword(_ k: String) -> Bool { kind == .keyword(k) }
    /// The identifier text, if an identifier.
    public var identifier: String? { if case .identifier(let s) = kind { return s }; return nil }
}
