// CDARTSCLITests: `nasc run --strategy cdarts` on digits writes the epoch log, settings and a retrainable export;
// a space without choices and an inconsistent warm-up are one-line errors.
import Foundation
import Testing

@Suite(.serialized) struct CDARTSCLITests {
    @Test func shortSearchOnDigitsThenRetrainTheExport() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("cdarts").path
        let r = try NascProcess.run(["run", "--strategy", "cdarts", "examples/digits_oneshot.nas", "-o", dir, "--data", "digits",
                                     "--train-epochs", "3", "--seed", "2", "--strategy-option", "warmup_epochs=1",
                                     "--strategy-option", "max_batches=3"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("settings: cdarts epochs 3"))
        let lines = try String(contentsOfFile: dir + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        for (i, line) in lines.enumerated() {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(o["epoch"] as? Int == i)
            let probs = try #require(o["probabilities"] as? [String: [Double]])
            #expect(!probs.isEmpty && probs.values.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-6 })
            #expect((o["distillation_loss"] != nil) == (i >= 1), "epoch \(i): \(line)")
        }
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/settings.json"))) as? [String: Any])
        #expect(settings["strategy"] as? String == "cdarts")
        let values = try #require(settings["settings"] as? [String: Any])
        #expect((values["warmup_epochs"] as? NSNumber)?.intValue == 1)
        #expect((values["temperature"] as? NSNumber)?.doubleValue == 2)
        #expect((values["loss_alpha"] as? NSNumber)?.doubleValue == 2)
        let t = try NascProcess.run(["train", "examples/digits_oneshot.nas", "--arch", dir + "/best_architecture.json", "--data", "digits",
                                     "--epochs", "1"])
        #expect(t.code == 0, "\(t.stderr)")
        #expect(t.stdout.contains("test accuracy"))
    }

    @Test func badInputIsOneLineAndExitOne() throws {
        let tmp = try NascProcess.tempDir()
        let fixed = tmp.appendingPathComponent("fixed.nir").path
        try """
        space "fixed" version 1 root @main

        graph @main(%x: f32[N,1,8,8]) {
          %f = flatten(%x)
          %o = linear(%f) {out = 10}
          return %o
        }
        """.write(toFile: fixed, atomically: true, encoding: .utf8)
        let (_, tiny) = try OneShotCLITests().setup()
        for (space, options, message) in [
            (fixed, [String](), "cdarts needs a space with at least one choice of two or more candidates"),
            (tiny, ["warmup_epochs=2"], "cdarts needs warmup_epochs (2) below the epochs (2)"),
            (tiny, ["temperature=0"], "cdarts needs loss_alpha > 0 and temperature > 0"),
        ] {
            let dir = tmp.appendingPathComponent("out").path
            let r = try NascProcess.run(["run", "--strategy", "cdarts", space, "-o", dir] + OneShotCLITests.data
                                        + options.flatMap { ["--strategy-option", $0] })
            #expect(r.code == 1, "\(options): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(message), "\(options): \(r.stderr)")
        }
    }
}
