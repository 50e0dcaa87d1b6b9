// DeadCodeElimination: the `dce` pass — removes nodes whose results reach no output, and unreachable subgraphs.
import NASCIR

/// Removes dead code.
///
/// - In every graph, nodes whose results do not reach a graph output (directly or through other nodes).
/// - Subgraphs no longer reachable from the root through calls, choices, repeats or cells.
/// - Value choices that only removed code read (declared-but-never-read choices are `canonicalize`'s business).
/// Graph inputs are kept even when unused: they are the graph's interface.
public struct DeadCodeElimination: Pass {
    public let name = "dce"
    public let summary = "remove nodes that reach no graph output and subgraphs unreachable from the root"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        let labelsBefore = space.referencedValueLabels
        for gi in space.graphs.indices {
            let live = space.graphs[gi].liveNodeNames
            space.graphs[gi].nodes.removeAll { !live.contains($0.name) }
        }
        let reachable = Set(space.reachableGraphs)
        if reachable.contains(space.root) {
            space.graphs.removeAll { !reachable.contains($0.name) }
        }
        let labelsAfter = space.referencedValueLabels
        space.valueChoices.removeAll { labelsBefore.contains($0.label) && !labelsAfter.contains($0.label) }
    }
}
