// TextToken: one lexical token of the text IR, with its 1-based source position.

/// A token produced by ``TextLexer``.
struct TextToken: Hashable, Sendable {
    /// What the token is.
    enum Kind: Hashable, Sendable {
        /// A bare word `[A-Za-z_][A-Za-z0-9_.]*` (keywords, op kinds, attribute names, symbols).
        case identifier
        /// `%name` or `%"quoted"`; `text` is the name without the sigil.
        case valueName
        /// `@name` or `@"quoted"`; `text` is the name without the sigil.
        case graphName
        /// `$name` or `$"quoted"`; `text` is the value-choice label.
        case label
        /// A quoted string; `text` is the decoded contents.
        case string
        /// An unsigned number literal; `text` is the literal as written.
        case number
        /// Punctuation or an operator; `text` is its spelling.
        case punct
        /// End of a line (statements are line-based).
        case newline
        /// End of input.
        case eof
        /// Something the lexer already reported; the parser stays silent about it.
        case invalid
    }

    var kind: Kind
    var text: String
    /// 1-based line.
    var line: Int
    /// 1-based column (in Unicode scalars).
    var column: Int

    /// A number literal is a float when it has a fraction or an exponent.
    var isFloatLiteral: Bool { text.contains(".") || text.contains("e") || text.contains("E") }

    /// How the token reads in a diagnostic ("found ...").
    var display: String {
        switch kind {
        case .identifier: return "'\(text)'"
        case .valueName: return "%" + TextNames.quoteIfNeeded(text)
        case .graphName: return "@" + TextNames.quoteIfNeeded(text)
        case .label: return "$" + TextNames.quoteIfNeeded(text)
        case .string: return "string " + ValueExpr.quote(text)
        case .number: return "'\(text)'"
        case .punct: return "'\(text)'"
        case .newline: return "end of line"
        case .eof: return "end of file"
        case .invalid: return "'\(text)'"
        }
    }
}
