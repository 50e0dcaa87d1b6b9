// AttentionModelTests: a whole attention text model, compiled by nasc (explicit params, autodiff, lowering, the
// executor), against the same model in PyTorch: embedding -> nn.MultiheadAttention with a key padding mask from the
// ids -> residual add -> nn.LayerNorm over [N,T,D] -> padding-masked mean over time -> linear -> cross-entropy.
// The loss, the logits and every parameter gradient come from Fixtures/attention_model.json, written by
// scripts/torch_fixtures.py; plan listings and proto round trips of the attention steps are checked on the way.
import Foundation
import NASCFrontend
import NASCIR
import NASCRuntime
import NASCTool
import Testing

@Suite struct AttentionModelTests {
    static let source = """
    input x: i64[6]
    h = x -> embedding(vocab: 11, dim: 8)
    a = (h, x) -> multihead_attention(heads: 2)
    s = (a, h) -> add
    n = s -> layer_norm
    return (n, x) -> global_avg_pool1d -> linear(out: 3)
    """

    struct Fixture: Decodable {
        var ids: [Int64], labels: [Int64], loss: Double, logits: [Float]
        var parameters: [String: [Float]], gradients: [String: [Float]]
    }

    func plan(training: Bool) throws -> Plan {
        let space = try Frontend.compile(source: Self.source, file: "attention.nas")
        return try ArchitectureTraining.plan(space, Architecture(), options: TrainOptions(), training: training)
    }

    @Test func lossLogitsAndGradientsMatchPyTorch() throws {
        let url = NascProcess.root.appendingPathComponent("Tests/NASCToolTests/Fixtures/attention_model.json")
        let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        let plan = try plan(training: true)
        let ex = try Executor(plan: plan, seed: 1)
        #expect(Set(ex.parameterNames) == Set(f.parameters.keys), "\(ex.parameterNames)")
        for (name, values) in f.parameters { try ex.setParameter(name, values) }
        let batch = f.labels.count
        let loss = try ex.computeGradients(data: f.ids.map(Float.init), labels: f.labels, batch: batch)
        #expect(abs(Double(loss) - f.loss) <= 1e-5 * max(1, abs(f.loss)), "loss \(loss) vs torch \(f.loss)")
        for (name, expected) in f.gradients {
            let g = try #require(ex.gradient(of: name), "no gradient for \(name)")
            let scale = max(1e-3, sqrt(expected.map { Double($0 * $0) }.reduce(0, +) / Double(expected.count)))
            let err = zip(g, expected).map { Double(abs($0 - $1)) }.max() ?? .infinity
            #expect(g.count == expected.count && err <= 1e-4 * scale, "\(name): max error \(err), rms \(scale)")
        }
        _ = try ex.forward(data: f.ids.map(Float.init), batch: batch)
        let logits = ex.output
        let err = zip(logits, f.logits).map { abs($0 - $1) }.max() ?? .infinity
        #expect(logits.count == f.logits.count && err <= 1e-4, "logits max error \(err)")
    }

    @Test func attentionStepsRoundTripThroughProtobuf() throws {
        let plan = try plan(training: true)
        #expect(plan.steps.contains { if case .attentionForward(let s) = $0.kernel { s.ids != nil && s.heads == 2 } else { false } })
        #expect(plan.steps.contains { if case .attentionBackward = $0.kernel { true } else { false } })
        guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "plan.pb") else {
            Issue.record("not a plan"); return
        }
        #expect(back == plan)
    }
}
