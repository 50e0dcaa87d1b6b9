// DiagnosticRenderer: prints diagnostics with the offending source line, a caret, and hint / note lines.
import NASCIR

/// Renders diagnostics the way compilers do:
///
/// ```
/// mnist.nas:12:7: error: linear expects 9216 input features, but gets 576 when conv1 = conv5x5
///   fc1 = linear(in: 9216, out: 128)
///         ^
/// hint: drop 'in' to infer it from the input
/// mnist.nas:5:5: note: candidate 'conv5x5' of layer choice 'conv1' produces f32[N,32,8,8]
/// ```
public struct DiagnosticRenderer {
    let lines: [Substring]
    let file: String

    /// Creates a renderer for diagnostics about `source` (the text of `file`).
    public init(source: String, file: String) {
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        self.file = file
    }

    /// One diagnostic with its context, hint and notes (each note with its own context).
    public func render(_ d: Diagnostic) -> String {
        var out = d.description + "\n" + excerpt(d.location)
        if let h = d.hint { out += "hint: \(h)\n" }
        for n in d.notes { out += render(n) }
        return out
    }

    /// All diagnostics of an error, followed by a count line.
    public func render(_ e: DiagnosticError) -> String {
        var out = e.diagnostics.map(render).joined()
        let errors = e.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { out += "\(errors) error\(errors == 1 ? "" : "s") generated.\n" }
        return out
    }

    func excerpt(_ loc: SourceLocation) -> String {
        guard loc.file == file, loc.line >= 1, loc.line <= lines.count else { return "" }
        var text = String(lines[loc.line - 1])
        if text.hasSuffix("\r") { text.removeLast() }
        var chars = Array(text)
        var caret = max(1, min(loc.column, chars.count + 1)) - 1
        // A long line (minified or generated input) is cut to a window around the caret.
        if chars.count > Self.maxExcerpt {
            let start = max(0, min(caret - Self.maxExcerpt / 2, chars.count - Self.maxExcerpt))
            let end = min(chars.count, start + Self.maxExcerpt)
            var window = Array(chars[start..<end])
            caret -= start
            if start > 0 { window = Array("...") + window; caret += 3 }
            if end < chars.count { window += Array("...") }
            chars = window
        }
        let pad = String(chars.prefix(caret).map { $0 == "\t" ? "\t" : " " })
        return String(chars) + "\n" + pad + "^\n"
    }

    /// The most characters of a source line shown under a diagnostic.
    static let maxExcerpt = 120
}
