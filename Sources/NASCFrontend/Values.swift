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

/// A callable that maps tensors to a tensor: an op with attributes, a block instance, a primitive, or a composition.
indirect enum Layer {
    case op(OpSpec, [NamedAttribute], SourceLocation)
    case block(BlockDecl, Scope, SourceLocation)
    case sequence(Layer, Layer)
    case layerChoice(label: String, candidates: [(name: String, layer: Layer, location: SourceLocation)], location: SourceLocation)
    case inputChoice(label: String, nChosen: Int?, reduction: Reduction, location: SourceLocation)
    case repeated(label: String, depths: [Int], body: BraceBody, scope: Scope, location: SourceLocation)
    case cell(CellSyntax)

    var location: SourceLocation {
        switch self {
        case .op(_, _, let l), .block(_, _, let l), .layerChoice(_, _, let l), .inputChoice(_, _, _, let l), .repeated(_, _, _, _, let l): return l
        case .sequence(let a, _): return a.location
        case .cell(let c): return c.location
        }
    }
}

/// A `cell(...) { ... }` before it is applied.
struct CellSyntax {
    var label: String
    var numNodes: Int
    var opsPerNode: Int
    var merge: CellMerge
    /// Stride of the edges that read a predecessor (2 in a reduction cell).
    var stride: Int
    var body: BraceBody
    var scope: Scope
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

/// A graph under construction.
final class GraphBuilder {
    let id: Int
    let name: String
    var inputs: [GraphInput] = []
    var nodes: [Node] = []
    var outputs: [ValueRef] = []
    let location: SourceLocation

    init(id: Int, name: String, location: SourceLocation) { self.id = id; self.name = name; self.location = location }

    var graph: Graph { Graph(name: name, inputs: inputs, nodes: nodes, outputs: outputs, location: location) }

    func freshName(_ base: String) -> String { graph.freshName(base) }

    /// Appends a node named after `base` and returns a reference to its output.
    func add(_ op: Op, inputs: [ValueRef], base: String, location: SourceLocation) -> ValueRef {
        let n = freshName(base)
        nodes.append(Node(name: n, op: op, inputs: inputs, location: location))
        return ValueRef(n)
    }

    /// Renames the last node if it is `ref` and `name` is free (so `y = x -> conv -> relu` names the relu `y`).
    func renameLast(_ ref: ValueRef, to name: String) -> ValueRef {
        guard let last = nodes.last, last.name == ref.node, last.name != name, freshName(name) == name else { return ref }
        nodes[nodes.count - 1].name = name
        return ValueRef(name, slot: ref.slot)
    }
}

/// Thrown after a diagnostic has been recorded, to abandon the current statement.
struct ElaborationFailure: Error {}
