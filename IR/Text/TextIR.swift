// TextIR: the public entry points of the canonical text form of the IR (print and parse).

/// The canonical, human-readable text form of a ``ModelSpace`` (`.nir` files, `nasc dump`, pass tests).
///
/// ```
/// space "mnist" version 1 root @main
/// value_choice "width" [16, 32, 64]
///
/// graph @main(%x: f32[N,1,28,28]) {
///   %c = conv2d(%x) {out = $width * 2, kernel = 3, padding = same} : f32[N,64,28,28]
///   %r = relu(%c)
///   return %r
/// }
/// ```
/// See `docs/ir-text.md` for the grammar. Attributes print in ``Op/attributes`` order with defaults
/// omitted; names that are not `[A-Za-z_][A-Za-z0-9_.]*` print quoted (`%"my value"`).
///
/// Round-trip guarantees:
/// - `parse(print(s, locations: true)) == s` for every space whose locations (value choices, graphs,
///   graph inputs, nodes) are all known, except that `ValueExpr.neg(.const(c))` with a non-negative
///   constant prints like the constant `-c` and reads back as that constant.
/// - `print(parse(t), locations: false) == t` for canonical text `t` without `loc(...)`: what ``print(_:locations:)``
///   produces (header, value choices, each graph after one blank line, two-space indent, no comments).
///
/// Items without `loc(...)` get their position in the text (`file:line:col`) as their location, so later
/// diagnostics on a parsed `.nir` file point into it.
public enum TextIR {
    /// Renders `space` canonically. With `locations`, each known location prints as `loc("file":line:col)`.
    /// Output is deterministic: graphs, nodes and value choices in IR order, attributes in bridge order.
    public static func print(_ space: ModelSpace, locations: Bool = true) -> String {
        TextPrinter(locations: locations).print(space)
    }

    /// Parses text IR. `file` names the input in locations and diagnostics.
    ///
    /// Only syntax and attribute typing (through ``Op/init(kind:attributes:)``) are checked; structure
    /// (dangling references, duplicate names, the root graph existing) is the verifier's job.
    /// - Throws: ``DiagnosticError`` with every error found, each `file:line:col: error: message`,
    ///   in source order. The parser recovers at the next line, so one run reports all malformed lines.
    public static func parse(_ text: String, file: String) throws -> ModelSpace {
        try TextParser(text, file: file).parse()
    }
}
