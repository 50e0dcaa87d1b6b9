// MultiTrialEvidenceTests: process-level evidence for multi-trial NAS — resume after --max-duration, export ->
// retrain determinism, and the default strategy.
import Foundation
import NASCExperiment
import Testing

/// A tiny digits space (an MLP over the 8x8 pixels, 2 x 2 architectures) whose trials train in well under a second.
let tinyDigitsSpace = """
space tiny_digits

input x: [1, 8, 8]

hidden = choice("hidden", [16, 32])
h = x -> flatten -> linear(out: hidden) -> layer_choice("act") {
    relu: relu
    tanh: tanh
}
return h -> linear(out: 10)
"""

@Suite(.serialized) struct MultiTrialEvidenceTests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path

    func tinySpace() throws -> String {
        let path = try NascProcess.tempDir().appendingPathComponent("tiny.nas").path
        try tinyDigitsSpace.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func maxDurationLeavesTrialsUnfinishedAndResumeRetriesThem() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        // 8 trials of ~1 s each, 2 at a time, cannot finish in 2.5 s: some are cut off at the limit.
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:3", "--epochs", "3",
                                     "--epoch-ms", "300", "--max-trials", "8", "--concurrency", "2", "--max-duration", "2.5s",
                                     "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-duration): "))
        let before = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        let interrupted = before.filter { $0.error.hasPrefix("interrupted: max-duration") }
        #expect(!interrupted.isEmpty, "nothing was running at the limit: \(before)")
        // Nothing is a final failure; cut-off trials are queued with the attempt they used.
        #expect(before.allSatisfy { $0.status != "failed" })
        #expect(interrupted.allSatisfy { $0.status == "queued" && $0.tries == 1 && $0.metric == "-" })
        let succeededBefore = before.filter { $0.status == "succeeded" }
        #expect(r.stdout.contains("\(interrupted.count) unfinished (retried by --resume)"))

        let resumed = try NascProcess.run(["run", "--resume", dir, "--max-duration", "5m", "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming: \(succeededBefore.count) finished trials kept"))
        #expect(resumed.stdout.contains("finished (max-trials): 8 trials, 8 succeeded, 0 failed"))
        let after = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(after.map(\.id) == Array(1...8) && after.allSatisfy { $0.status == "succeeded" && $0.error.isEmpty })
        // Finished trials are kept as they were and not run again; the cut-off ones ran exactly once more.
        for t in succeededBefore { #expect(after[t.id - 1] == t) }
        for t in interrupted { #expect(after[t.id - 1].tries == 2) }
        #expect(after.filter { $0.tries > 1 }.count == interrupted.count)
        // The strategy was never told the interrupted attempts: the results equal an uninterrupted run's.
        let fresh = try NascProcess.tempDir().appendingPathComponent("exp").path
        let f = try NascProcess.run(["run", "--strategy", "random", mlp, fresh, "--benchmark", "synthetic:3", "--epochs", "3",
                                     "--max-trials", "8", "--concurrency", "2", "--no-live"])
        #expect(f.code == 0)
        #expect(listedTrials(try NascProcess.run(["experiment", "list", fresh]).stdout).map(\.metric) == after.map(\.metric))
    }

    @Test func exportThenRetrainReproducesTheTrialExactly() throws {
        let space = try tinySpace()
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "grid", "--seed", "2", space, dir, "--data", "digits", "--train-epochs", "2",
                                     "--train-seed", "7", "--lr", "0.1", "--weight-decay", "0.0005", "--crop-padding", "1",
                                     "--max-trials", "2", "--concurrency", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 2 trials, 2 succeeded, 0 failed"))
        let store = try ExperimentStore.open(directory: dir)
        let best = try #require(try store.top(1).first)
        let metric = try #require(best.finalMetric)
        let params = try #require(best.params)

        let out = try NascProcess.tempDir().path
        let export = try NascProcess.run(["experiment", "export", dir, "-k", "1", "-o", out])
        #expect(export.code == 0, "\(export.stderr)")
        let arch = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".nni-v3.json") })

        // `experiment show` prints the retrain flags; use exactly those.
        let show = try NascProcess.run(["experiment", "show", dir, String(best.id)])
        let line = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("retrain (same schedule and seed): nasc train ") })
        let flags = line.components(separatedBy: "--arch ARCH.json ").last?.split(separator: " ").map(String.init) ?? []
        #expect(flags.contains("--seed") && flags.contains("--epochs") && flags.contains("--crop-padding"), "\(flags)")
        let train = try NascProcess.run(["train", space, "--arch", arch] + flags + ["--json"])
        #expect(train.code == 0, "\(train.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        // Bit-for-bit the same validation accuracy, and the same parameter count.
        #expect(obj["validation_accuracy"] as? Double == metric, "\(train.stdout) vs trial metric \(metric)")
        #expect(obj["parameters"] as? Int == params)
        // A different seed gives a different run (the match above is not a coincidence of an easy task).
        var other = flags
        if let i = other.firstIndex(of: "--seed") { other[i + 1] = "8" }
        let train8 = try NascProcess.run(["train", space, "--arch", arch] + other + ["--json"])
        let obj8 = try #require(try JSONSerialization.jsonObject(with: Data(train8.stdout.utf8)) as? [String: Any])
        #expect(obj8["train_accuracy"] as? Double != obj["train_accuracy"] as? Double)
    }

    @Test func runWithoutStrategyUsesTheDefault() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "3", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 3 trials, 3 succeeded"))
        let list = try NascProcess.run(["experiment", "list", dir])
        #expect(list.stdout.hasPrefix("experiment \(dir): tpe over "))
    }
}
