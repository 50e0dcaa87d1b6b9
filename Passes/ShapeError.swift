// ShapeError and attribute evaluation: turning numeric attributes into integers for shape rules.
import NASCIR

/// Why an op's output type cannot be computed (the caller adds the node's location).
public struct ShapeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One line, lower-case start, no trailing period.
    public var message: String
    /// A suggestion for the user, if there is an obvious fix.
    public var hint: String?
    /// Creates a shape error.
    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
    public var description: String { message }
}

/// Reads numeric attributes for shape rules. `nil` means "depends on a value choice" (the result is untyped);
/// a constant that is not an integer, is out of range or fails to evaluate is a ``ShapeError``.
enum AttributeValues {
    /// The largest attribute value or dimension shape rules accept (keeps all size arithmetic far from overflow).
    static let limit = 1 << 31

    /// The integer value of `expr`, or `nil` if it reads a value choice.
    static func int(_ expr: ValueExpr, _ name: String, of op: String, atLeast minimum: Int) throws(ShapeError) -> Int? {
        guard expr.labels.isEmpty else { return nil }
        let value: Scalar
        do { value = try expr.evaluate { _ in nil } } catch { throw ShapeError("\(name) of \(op): \(error)") }
        guard let v = value.asInt else { throw ShapeError("\(name) of \(op) must be an integer, but is \(value)") }
        guard v >= minimum else { throw ShapeError("\(name) of \(op) must be at least \(minimum), but is \(v)") }
        guard v <= limit else { throw ShapeError("\(name) of \(op) is too large: \(v) (at most \(limit))") }
        return v
    }

    /// The floating value of `expr`, or `nil` if it reads a value choice.
    static func double(_ expr: ValueExpr, _ name: String, of op: String) throws(ShapeError) -> Double? {
        guard expr.labels.isEmpty else { return nil }
        do { return try expr.evaluate { _ in nil }.asDouble } catch { throw ShapeError("\(name) of \(op): \(error)") }
    }

    /// A padding attribute after evaluation.
    enum ResolvedPadding: Equatable {
        case same
        case explicit(Int)
        case symbolic
    }

    /// Evaluates a padding attribute.
    static func padding(_ p: Padding, of op: String) throws(ShapeError) -> ResolvedPadding {
        switch p {
        case .same: return .same
        case .explicit(let e):
            guard let v = try int(e, "padding", of: op, atLeast: 0) else { return .symbolic }
            return .explicit(v)
        }
    }
}
