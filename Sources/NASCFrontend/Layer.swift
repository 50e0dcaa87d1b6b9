// Layer: a .nas value that maps tensors to a tensor (an op, a block instance, a primitive or a composition).
import NASCIR

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
