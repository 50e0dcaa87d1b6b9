// Frontend: the entry point that turns a `.nas` source file into a ModelSpace.
import NASCIR
import NASCPasses

/// The .nas space language: parse, elaborate into the graph IR, and check every shape of the space.
public enum Frontend {
    /// Compiles `.nas` source into a model space.
    ///
    /// Runs the lexer and parser (reporting every syntax error), the elaborator (names, ops, attributes,
    /// primitives, labels) and the static checker (shapes through every candidate and reachable combination).
    /// Nodes carry their `.nas` locations and, where the shape does not depend on a choice, their types.
    /// - Throws: ``DiagnosticError`` with all errors found, in source order.
    public static func compile(source: String, file: String) throws -> ModelSpace {
        let (program, parseDiags) = Parser.parse(source: source, file: file)
        let elaborator = Elaborator(file: file)
        let space = elaborator.elaborate(program)
        // Statements that parsed are elaborated even when others did not, so one run reports both kinds of
        // error; names bound by the broken statements stay silent. Shapes are checked only for a whole file.
        let hasParseErrors = parseDiags.contains { $0.severity == .error }
        if hasParseErrors || elaborator.diags.hasErrors {
            throw DiagnosticError(sorted(parseDiags + elaborator.diags.diagnostics))
        }
        let (checkDiags, typed) = StaticChecker(space: space, sites: elaborator.instanceSites).run()
        if checkDiags.contains(where: { $0.severity == .error }) { throw DiagnosticError(checkDiags) }
        // The IR's own invariants (structure, labels, known types); a failure here is a frontend bug, but it
        // is still reported as located diagnostics rather than a crash.
        try Verifier.verifyOrThrow(typed)
        let searchSpace = try SearchSpace(typed)
        // Small spaces are also checked subnet by subnet with the passes' shape rules.
        let subnetErrors = SubnetCheck.run(typed, searchSpace: searchSpace)
        if !subnetErrors.isEmpty { throw DiagnosticError(subnetErrors) }
        return typed
    }

    /// Parses without elaborating (for tools and tests that want the syntax tree).
    public static func parse(source: String, file: String) throws -> Program {
        let (program, diags) = Parser.parse(source: source, file: file)
        if !diags.isEmpty { throw DiagnosticError(sorted(diags)) }
        return program
    }

    /// Renders every diagnostic as `file:line:col: error: msg`, the source line, a caret line, then
    /// `hint:` and `note:` lines, and a final count.
    public static func render(_ error: DiagnosticError, source: String) -> String {
        let file = error.diagnostics.first?.location.file ?? ""
        return DiagnosticRenderer(source: source, file: file).render(error)
    }

    static func sorted(_ ds: [Diagnostic]) -> [Diagnostic] {
        ds.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }.map(\.element)
    }
}
