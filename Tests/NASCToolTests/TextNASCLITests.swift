// TextNASCLITests: the TextNAS space (examples/textnas.nas) through the `nasc` binary — it compiles with every
// decision listed, ENAS trains its sampled supernet on the bundled fortunes set and exports an architecture, and that
// architecture retrains with `nasc train`.
import Foundation
import Testing

@Suite struct TextNASCLITests {
    static let space = "examples/textnas.nas"

    @Test func theSpaceCompilesWithEveryLayerDecision() throws {
        let dir = try NascProcess.tempDir()
        let r = try NascProcess.run(["compile", Self.space, "-o", dir.appendingPathComponent("s.pb").path])
        #expect(r.code == 0, "\(r.stderr)")
        let i = try NascProcess.run(["inspect", Self.space])
        #expect(i.code == 0, "\(i.stderr)")
        // 5 layers: an op each, an input choice from layer 2 on, one skip switch per earlier layer.
        #expect(i.stdout.contains("decisions: 18"), "\(i.stdout)")
        #expect(i.stdout.contains("layer_4/op      layer choice over [conv1, conv3, conv5, conv7, avg_pool, max_pool, attention, rnn]"),
                "\(i.stdout)")
        #expect(i.stdout.contains("layer_4/input   input choice of 1 among 4"), "\(i.stdout)")
        #expect(i.stdout.contains("layer_4/skip_3  layer choice over [off, on]"), "\(i.stdout)")
    }

    /// A few ENAS steps on the fused supernet (every layer choice a switch), an export naming every decision, and a
    /// one-epoch retrain of the export that beats the largest class (35% of the test split).
    @Test func enasSearchesTheSpaceAndItsExportRetrains() throws {
        let dir = try NascProcess.tempDir()
        let out = dir.appendingPathComponent("enas").path
        let r = try NascProcess.run(["run", "--strategy", "enas", Self.space, "-o", out, "--data", SequenceCLITests.fortunes,
                                     "--train-epochs", "1", "--batch-size", "32",
                                     "--strategy-option", "max_batches=3", "--strategy-option", "export_samples=2"])
        #expect(r.code == 0, "\(r.stderr)")
        let arch = out + "/best_architecture.json"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arch))) as? [String: Any] ?? [:]
        #expect(json.count == 18, "\(json)")
        let ops = ["conv1", "conv3", "conv5", "conv7", "avg_pool", "max_pool", "attention", "rnn"]
        for i in 0..<5 { #expect(ops.contains(json["layer_\(i)/op"] as? String ?? ""), "\(json)") }
        let t = try NascProcess.run(["train", Self.space, "--arch", arch, "--data", SequenceCLITests.fortunes, "--epochs", "1",
                                     "--optimizer", "adam", "--lr", "0.005", "--batch-size", "32", "--validation", "0", "--json"])
        #expect(t.code == 0, "\(t.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any]
        #expect((result?["test_accuracy"] as? Double ?? 0) > 0.4, "\(t.stdout)")
    }
}
