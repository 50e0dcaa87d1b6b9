// RecurrentModelTorchTests: one training step of a small recurrent text model — embedding, a bidirectional LSTM, a
// GRU, a padding-masked mean over time, linear — gives PyTorch's loss, logits and every parameter gradient (fixture:
// scripts/torch_sequence_model.py), through explicit params, autodiff, lowering and the executor.
import Foundation
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct RecurrentModelTorchTests {
    static let spaceText = """
    space "rnnmodel" version 1 root @main
    graph @main(%x: i64[N,7]) {
      %h = embedding(%x) {vocab = 12, dim = 6}
      %l = lstm(%h) {hidden = 5, bidirectional = true}
      %g = gru(%l) {hidden = 4}
      %a = global_avg_pool1d(%g, %x)
      %o = linear(%a) {out = 3}
      return %o
    }
    """

    func executor() throws -> Executor {
        var space = try TextIR.parse(Self.spaceText, file: "rnnmodel.nir")
        var ctx = PassContext(architecture: Architecture([:]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &space, context: &ctx)
        return try Executor(plan: try PlanCompiler.compile(space, training: true), seed: 1)
    }

    @Test func oneTrainingStepMatchesPyTorch() throws {
        try SequenceModelFixture.load("recurrent_model.json").expectOneStepMatches(try executor(), "recurrent model")
    }

    /// Parameters are PyTorch's: names, shapes and counts (a bidirectional LSTM(6 -> 5) has 2 * 4 * 5 * (6 + 5 + 2)),
    /// drawn from U(-1/sqrt(H), 1/sqrt(H)).
    @Test func parametersFollowPyTorch() throws {
        let exec = try executor()
        let lstm = exec.parameterNames.filter { $0.hasPrefix("l.") }
        #expect(Set(lstm) == ["l.weight_ih_l0", "l.weight_hh_l0", "l.bias_ih_l0", "l.bias_hh_l0", "l.weight_ih_l0_reverse",
                              "l.weight_hh_l0_reverse", "l.bias_ih_l0_reverse", "l.bias_hh_l0_reverse"])
        let counts = try lstm.map { try #require(exec.parameter($0)).count }
        let expected = 520  // 2 directions * 4 gates * 5 hidden * (6 inputs + 5 hidden + 2 biases)
        #expect(counts.reduce(0, +) == expected)
        let whh = try #require(exec.parameter("g.weight_hh_l0"))
        let bound: Float = 0.5  // 1 / sqrt(4)
        #expect(whh.count == 48 && whh.allSatisfy { abs($0) <= bound } && Set(whh).count > 40)
    }
}
