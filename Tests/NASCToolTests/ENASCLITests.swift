// ENASCLITests: `nasc oneshot --strategy enas` on the bundled digits space runs end to end, and its export retrains.
import Foundation
import Testing

@Suite struct ENASCLITests {
    @Test func enasOnDigitsExportsARetrainableArchitecture() throws {
        let dir = try NascProcess.tempDir()
        let arch = dir.appendingPathComponent("enas.json").path
        let r = try NascProcess.run(["oneshot", "--strategy", "enas", "examples/digits_oneshot.nas", "--data", "digits",
                                     "--epochs", "1", "--strategy-option", "paths_per_batch=1", "--strategy-option", "ctrl_steps=40", "-o", arch])
        // One path per batch and 40 controller steps (4 updates of the default 10) keep the debug run short.
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("epoch 0: train loss") && r.stderr.contains("controller updates 4"), "\(r.stderr)")
        for label in ["conv1", "conv2", "skip"] { #expect(r.stderr.contains("  \(label): "), "\(r.stderr)") }
        #expect(r.stderr.contains("export: best of the controller's argmax and 10 samples"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arch))) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["conv1", "conv2", "skip"])
        let t = try NascProcess.run(["train", "examples/digits_oneshot.nas", "--arch", arch, "--epochs", "1", "--json"])
        #expect(t.code == 0, "\(t.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(t.stdout.utf8)) as? [String: Any]
        #expect((result?["test_accuracy"] as? Double ?? 0) > 0.3, "\(t.stdout)")
    }
}
