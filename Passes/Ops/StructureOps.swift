// StructureOps: the op-table entries of call and the mutation primitives (layer_choice, input_choice, repeat, cell).
import NASCIR

extension OpTable {
    /// `call` and the choice ops: typed by the shape engine from the model space; gone after specialize and inline.
    static func structural(_ sample: Op) -> OpDefinition {
        OpDefinition(sample.kind, shape: .fromSpace, cost: .needsSpecialization,
                     gradient: .notDifferentiable("run specialize and inline first"), sample: sample)
    }

    static let call = structural(.call(graph: "block"))
    static let layerChoice = structural(.layerChoice(LayerChoiceOp(label: "op", candidates: [
        NamedGraph(name: "conv", graph: "conv3x3"), NamedGraph(name: "pool", graph: "pool")])))
    static let inputChoice = structural(.inputChoice(InputChoiceOp(label: "skip", nChosen: 2, reduction: .concat)))
    static let repeated = structural(.repeated(RepeatOp(label: "depth", depths: [1, 2], blocks: ["b0", "b1"])))
    static let cell = structural(.cell(CellOp(label: "normal", numNodes: 2, opsPerNode: 2,
                                              candidates: [NamedGraph(name: "skip", graph: "skip")], merge: .all)))
}
