// Attribute: the generic, typed form of op attributes used by the text IR and protobuf bridges.

/// One attribute value in the generic form (text IR and protobuf). Each op converts its typed struct to and
/// from a list of these; see ``Op/attributes`` and ``Op/init(kind:attributes:)``.
public enum Attribute: Hashable, Sendable {
    /// Integer, float or value-choice expression.
    case expr(ValueExpr)
    case bool(Bool)
    /// A quoted string (labels).
    case string(String)
    /// A bare word from a fixed set (`same`, `sum`, `loose_end`, `any`).
    case symbol(String)
    /// A subgraph reference `@name`.
    case graph(String)
    /// A list of integers (`[2, 3, 4]`).
    case ints([Int])
    /// A list of subgraph references (`[@b0, @b1]`).
    case graphs([String])
    /// Named candidates `[a = @g0, b = @g1]`.
    case candidates([NamedGraph])
}

/// A named attribute.
public struct NamedAttribute: Hashable, Sendable {
    public var name: String
    public var value: Attribute
    /// Creates a named attribute.
    public init(_ name: String, _ value: Attribute) { self.name = name; self.value = value }
}

/// An error converting generic attributes to a typed op; the caller adds the location.
public struct AttributeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// Creates an attribute error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
