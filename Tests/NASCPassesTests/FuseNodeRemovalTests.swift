// FuseNodeRemovalTests: Fuse.removeNodes(at:from:) (in-place removal of fused-away nodes) keeps the others in order.
import Testing
import NASCIR
@testable import NASCPasses

@Suite struct FuseNodeRemovalTests {
    func nodes(_ n: Int) -> [Node] { (0..<n).map { Node(name: "n\($0)", op: .identity, inputs: []) } }

    @Test(arguments: [Set<Int>(), [0], [5], [0, 1, 2], [1, 3, 4], [0, 1, 2, 3, 4, 5]])
    func keepsTheOtherNodesInOrder(removed: Set<Int>) {
        var ns = nodes(6)
        Fuse.removeNodes(at: removed, from: &ns)
        #expect(ns.map(\.name) == (0..<6).filter { !removed.contains($0) }.map { "n\($0)" })
    }
}
