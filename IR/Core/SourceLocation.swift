// SourceLocation: where an IR entity came from, so every diagnostic can name a place.

/// A position in a source file (a `.nas` space, a text-IR file or a protobuf file).
///
/// `line` and `column` are 1-based; 0 means "unknown". A location with an empty
/// `file` and zero line is ``SourceLocation/unknown``.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file path as the user wrote it.
    public var file: String
    /// 1-based line, or 0 when unknown.
    public var line: Int
    /// 1-based column, or 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The location used when nothing better is known.
    public static let unknown = SourceLocation(file: "")

    /// True when this location carries no information.
    public var isUnknown: Bool { file.isEmpty && line == 0 }

    /// `file:line:col`, `file:line`, `file` or `<unknown>`.
    public var description: String {
        if isUnknown { return "<unknown>" }
        let f = file.isEmpty ? "<input>" : file
        if line == 0 { return f }
        if column == 0 { return "\(f):\(line)" }
        return "\(f):\(line):\(column)"
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}
