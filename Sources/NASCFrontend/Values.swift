// Values: what a .nas expression evaluates to during elaboration (tensors, numbers, layers, ...).
import NASCIR

/// A tensor in one graph under construction, with its channel count when known symbolically.
struct TensorVal {
    var ref: ValueRef
    /// Identity of the graph builder that owns the tensor.
    var graph: Int
    /// Dimension 1 (channels / features) as an expression, when the elaborator can tell.
    var channels: ValueExpr?
    var location: SourceLocation
}

/// A value of the language.
indirect enum Value {
    case tensor(TensorVal)
    case tuple([TensorVal])
    /// A number or value-choice expression.
    case number(ValueExpr)
    case string(String)
    case bool(Bool)
    /// A bare word such as `same`, `sum` or `any`.
    case symbol(String)
    case list([Value])
    case layer(Layer)
    /// A name whose definition already failed; using it reports nothing new.
    case poisoned

    var describe: String {
        switch self {
        case .tensor: return "a tensor"
        case .tuple: return "a tuple of tensors"
        case .number: return "a number"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .symbol(let s): return "the word '\(s)'"
        case .list: return "a list"
        case .layer: return "a layer"
        case .poisoned: return "an invalid value"
        }
    }
}

/// Names visible while elaborating: block parameters, tensors and local bindings.
struct Scope {
    var values: [String: Value] = [:]
    subscript(name: String) -> Value? {
        get { values[name] }
        set { values[name] = newValue }
    }
}

/// Thrown after a diagnostic has been recorded, to abandon the current statement.
struct ElaborationFailure: Error {}
