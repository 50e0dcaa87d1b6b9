// ReservedNames: the names a .nas variable cannot take (keywords, ops and their aliases, primitives), for generators.

extension Frontend {
    /// True when `name` cannot be bound by `name = ...` at the top level of a space (a keyword, an op or alias, a
    /// primitive such as `choice`, or a name reserved for a later version). Code generators (`nasc import`) avoid them.
    public static func isReservedName(_ name: String) -> Bool {
        Lexer.keywords.contains(name) || OpCatalog.lookup(name) != nil || OpCatalog.reserved.contains(name)
            || Elaborator.primitives.contains(name)
    }
}
