// Frontend: the entry point that turns a `.nas` source file into a ModelSpace.
import NASCIR

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
        if parseDiags.contains(where: { $0.severity == .error }) { throw DiagnosticError(sorted(parseDiags)) }
        let elaborator = Elaborator(file: file)
        let space = elaborator.elaborate(program)
        if elaborator.diags.hasErrors { throw DiagnosticError(sorted(elaborator.diags.diagnostics)) }
        let (checkDiags, typed) = StaticChecker(space: space).run()
        if checkDiags.contains(where: { $0.severity == .error }) { throw DiagnosticError(checkDiags) }
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
