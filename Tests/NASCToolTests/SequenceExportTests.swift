// SequenceExportTests: text models leave nasc — fortunes.nas (embedding, the padding-masked max and mean pools),
// fortunes_attention.nas (masked multi-head self-attention with two head counts, residual layer_norm) and
// fortunes_lstm.nas (bidirectional LSTM and GRU) exported to ONNX (decomposed into Gather / MatMul / Split / Reshape /
// Transpose / Softmax; LSTM and GRU nodes, time major; opset 17, IR 8) and to PyTorch (nn.Embedding,
// nn.MultiheadAttention with batch_first and key_padding_mask, nn.LSTM / nn.GRU with batch_first), compared in onnxruntime (batch 7 and
// batch 1) and PyTorch eval mode with `nasc predict` on token ids with trailing, inner and total padding.
import Foundation
import NASCIR
import NASCTool
import Testing

@Suite(.serialized) struct SequenceExportTests {
    /// Seven samples `label ids...` (ids below 5000), padded to 48: short, long, inner padding, padding only.
    static let tokens = """
    0 5 17 3 99 4021 7 7 12
    1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48
    2 0 0 31 0 4999 8 0 2
    3 0 0 0
    0 250 251 252
    1 9
    2 0 0 0 0 0 0 0 0 0 0 77
    """

    /// Initial weights with every trainable tensor moved off its initializer (biases are zero there).
    static func weights(_ space: ModelSpace, _ arch: Architecture) throws -> Checkpoint {
        var c = try ArchitectureTraining.initialWeights(space, arch, seed: 5)
        var rng = SplitMix64(seed: 23)
        for i in c.tensors.indices where c.tensors[i].role == .parameter {
            c.tensors[i].values = c.tensors[i].values.map { $0 + 0.2 * (Float(rng.next() >> 40) / Float(1 << 24) - 0.5) }
        }
        return c
    }

    @Test(arguments: [("fortunes.nas", #"{"dim": 32, "pool": "max"}"#), ("fortunes.nas", #"{"dim": 64, "pool": "mean"}"#),
                      ("fortunes_attention.nas", #"{"mix": "attention", "heads": 2}"#),
                      ("fortunes_attention.nas", #"{"mix": "attention", "heads": 4}"#),
                      ("fortunes_lstm.nas", #"{"cell": "lstm", "hidden": 32}"#),
                      ("fortunes_lstm.nas", #"{"cell": "gru", "hidden": 32}"#)])
    func exportsMatchPredict(_ file: String, _ json: String) throws {
        let dir = try NascProcess.tempDir()
        let spaceURL = ExportSupport.examples.appendingPathComponent(file)
        let space = try ExportSupport.space(spaceURL)
        let arch = try ArchitectureJSON.read(json, space: try SearchSpace(space))
        let archURL = dir.appendingPathComponent("arch.pb"), weightsURL = dir.appendingPathComponent("w.pb")
        try ExportSupport.write(try ProtoIO.encode(arch), archURL)
        let weights = try Self.weights(space, arch)
        try ExportSupport.write(try ProtoIO.encode(weights), weightsURL)
        let ids = dir.appendingPathComponent("ids.txt").path
        try (Self.tokens + "\n").write(toFile: ids, atomically: true, encoding: .utf8)
        let spec = "tokens:\(ids)?test=\(ids)&vocab=5000&length=48"

        var predictions: [String] = []
        for (name, batch) in [("p7.npy", "256"), ("p1.npy", "1")] {
            let out = dir.appendingPathComponent(name).path
            let r = try NascProcess.run(["predict", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                         "--data", spec, "--split", "test", "--batch-size", batch, "-o", out])
            #expect(r.code == 0, "\(r.stderr)")
            predictions.append(out)
        }
        let inference = try InferenceModel(space: space, architecture: arch, weights: weights, weightsFile: weightsURL.path)
        let raw = try inference.loadData(spec, split: .test, normalize: false)
        #expect(raw.count == 7)
        let inputs = dir.appendingPathComponent("inputs.npy")
        try ExportSupport.write(ArrayFile.npy(raw.features, rows: raw.count, columns: raw.sampleSize), inputs)

        let model = dir.appendingPathComponent("model.onnx").path
        let onnx = try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                        "--format", "onnx", "-o", model])
        #expect(onnx.code == 0, "\(onnx.stderr)")
        let ort = try ExportSupport.python(["scripts/onnx-compare.py", model, inputs.path] + predictions)
        #expect(ort.code == 0, "\(file) \(json): \(ort.stdout) \(ort.stderr)")

        let torchDir = dir.appendingPathComponent("torch").path
        let export = try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                          "--format", "pytorch", "-o", torchDir])
        #expect(export.code == 0, "\(export.stderr)")
        let torch = try ExportSupport.python(["scripts/torch-compare.py", torchDir, inputs.path, predictions[0]])
        #expect(torch.code == 0, "\(file) \(json): \(torch.stdout) \(torch.stderr)")
        print("sequence export \(file) \(json): \(ort.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) \(torch.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
}
