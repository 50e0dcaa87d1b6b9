// Diagnostic: one located message, and the error type that carries a batch of them.

/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable {
    case error, warning, note
}

/// A message attached to a source location, printed as `file:line:col: error: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// Error, warning or note.
    public var severity: Severity
    /// Where the problem is.
    public var location: SourceLocation
    /// One line, lower-case start, no trailing period.
    public var message: String
    /// An optional suggestion, printed on its own `note:`/`hint:` line by renderers that show context.
    public var hint: String?
    /// Related places (e.g. the other candidate of a conflicting choice).
    public var notes: [Diagnostic]

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String,
                hint: String? = nil, notes: [Diagnostic] = []) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
        self.notes = notes
    }

    /// Shorthand for an error.
    public static func error(_ message: String, at location: SourceLocation = .unknown, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: location, message, hint: hint)
    }

    /// The one-line form: `file:line:col: error: message`.
    public var description: String {
        location.isUnknown ? "\(severity.rawValue): \(message)"
            : "\(location): \(severity.rawValue): \(message)"
    }
}

/// One or more diagnostics thrown together (a parser or verifier reports everything it found).
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// All diagnostics, in source order where known.
    public var diagnostics: [Diagnostic]

    /// Wraps diagnostics; must not be empty.
    public init(_ diagnostics: [Diagnostic]) {
        precondition(!diagnostics.isEmpty, "DiagnosticError needs at least one diagnostic")
        self.diagnostics = diagnostics
    }

    /// Wraps a single diagnostic.
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    /// Each diagnostic on its own line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a phase runs, then throws them together.
public struct DiagnosticEngine: Sendable {
    /// Everything emitted so far.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty engine.
    public init() {}

    /// True if any error was emitted.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Records a diagnostic.
    public mutating func emit(_ d: Diagnostic) { diagnostics.append(d) }

    /// Records an error.
    public mutating func error(_ message: String, at location: SourceLocation, hint: String? = nil) {
        emit(Diagnostic(.error, at: location, message, hint: hint))
    }

    /// Throws all diagnostics if any is an error.
    public func throwIfErrors() throws {
        if hasErrors { throw DiagnosticError(diagnostics) }
    }
}
