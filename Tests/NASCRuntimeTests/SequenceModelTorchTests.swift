// SequenceModelTorchTests: one training step of a small sequence model — embedding, conv1d (same padding; strided,
// grouped), padding-masked max and avg pools over time, transpose, masked and unmasked pools over time — gives
// PyTorch's loss, logits and every parameter gradient (fixture: scripts/torch_sequence_model.py).
import Foundation
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

struct SequenceModelFixture: Decodable {
    let ids: [Int64], labels: [Int64], loss: Float, logits: [Float]
    let params: [String: [Float]], grads: [String: [Float]]

    /// Loads `Fixtures/<name>` next to this file.
    static func load(_ name: String) throws -> SequenceModelFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
        return try JSONDecoder().decode(SequenceModelFixture.self, from: Data(contentsOf: url))
    }

    /// Sets the fixture's parameters in `exec`, runs one gradient step on its batch and expects PyTorch's loss, logits
    /// and parameter gradients; prints the worst gradient error under `label`.
    func expectOneStepMatches(_ exec: Executor, _ label: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        #expect(Set(exec.parameterNames) == Set(params.keys), "\(exec.parameterNames.sorted())", sourceLocation: sourceLocation)
        for (name, values) in params { try exec.setParameter(name, values) }
        let loss = try exec.computeGradients(data: ids.map(Float.init), labels: labels, batch: labels.count)
        #expect(abs(loss - self.loss) <= 1e-5 * max(1, abs(self.loss)), "loss \(loss) vs PyTorch \(self.loss)", sourceLocation: sourceLocation)
        #expect(SupernetCheck.close(exec.output, logits), "logits", sourceLocation: sourceLocation)
        var worst: Float = 0
        for (name, want) in grads {
            let got = try #require(exec.gradient(of: name), "no gradient of \(name)", sourceLocation: sourceLocation)
            #expect(SupernetCheck.close(got, want, 1e-4), "gradient of \(name)", sourceLocation: sourceLocation)
            worst = max(worst, zip(got, want).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0)
        }
        print("\(label) vs PyTorch: loss \(loss) (\(self.loss)), max gradient error \(worst)")
    }
}

@Suite struct SequenceModelTorchTests {
    static let spaceText = """
    space "seqmodel" version 1 root @main
    graph @main(%x: i64[N,7]) {
      %h = embedding(%x) {vocab = 12, dim = 6}
      %c = conv1d(%h) {out = 8, kernel = 3, padding = same}
      %r = relu(%c)
      %p = max_pool1d(%r, %x) {kernel = 3, stride = 1, padding = same}
      %q = avg_pool1d(%p, %x) {kernel = 3, stride = 1, padding = 1}
      %d = conv1d(%q) {out = 4, kernel = 2, stride = 2, groups = 2}
      %t = transpose(%d) {dim0 = 1, dim1 = 2}
      %u = transpose(%t) {dim0 = -1, dim1 = -2}
      %g = global_max_pool1d(%u)
      %a = global_avg_pool1d(%q, %x)
      %o1 = linear(%g) {out = 3}
      %o2 = linear(%a) {out = 3}
      %o = add(%o1, %o2)
      return %o
    }
    """

    @Test func oneTrainingStepMatchesPyTorch() throws {
        let f = try SequenceModelFixture.load("sequence_model.json")
        var space = try TextIR.parse(Self.spaceText, file: "seqmodel.nir")
        var ctx = PassContext(architecture: Architecture([:]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &space, context: &ctx)
        let exec = try Executor(plan: try PlanCompiler.compile(space, training: true), seed: 1)
        try f.expectOneStepMatches(exec, "sequence model")
    }
}
