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
        // Every trial needs at least 3 s (3 epochs of 1 s), the limit is 2 s: whatever the machine's load, the
        // first two trials are running when the limit strikes.
        let common = ["--benchmark", "synthetic:3", "--epochs", "3", "--epoch-ms", "1000", "--max-trials", "4", "--concurrency", "2"]
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir] + common + ["--max-duration", "2s", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-duration): 2 trials, 0 succeeded, 0 failed, 2 unfinished (retried by --resume)"))
        #expect(r.stdout.contains("trial 1 interrupted: max-duration (2s) reached; unfinished, retried by --resume"))
        let before = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        // Not final failures: queued again with the attempt they used, no metric.
        #expect(before.map(\.id) == [1, 2])
        #expect(before.allSatisfy { $0.status == "queued" && $0.tries == 1 && $0.metric == "-"
                                    && $0.error == "interrupted: max-duration (2s) reached" })

        let resumed = try NascProcess.run(["run", "--resume", dir, "--max-duration", "5m", "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming: 0 finished trials kept, 2 unfinished to retry"))
        #expect(resumed.stdout.contains("trial 1 started (attempt 2)"))
        #expect(resumed.stdout.contains("finished (max-trials): 4 trials, 4 succeeded, 0 failed"))
        let after = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(after.map(\.id) == [1, 2, 3, 4] && after.allSatisfy { $0.status == "succeeded" && $0.error.isEmpty })
        // The cut-off trials ran exactly once more; the new ones once.
        #expect(after.map(\.tries) == [2, 2, 1, 1])
        // The strategy was never told the interrupted attempts: the same trials and results as an uninterrupted run.
        let fresh = try NascProcess.tempDir().appendingPathComponent("exp").path
        let f = try NascProcess.run(["run", "--strategy", "random", mlp, fresh] + common + ["--no-live"])
        #expect(f.code == 0)
        #expect(listedTrials(try NascProcess.run(["experiment", "list", fresh]).stdout).map(\.metric) == after.map(\.metric))
    }

    @Test func exportThenRetrainReproducesTheTrialExactly() throws {
        let space = try tinySpace()
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "grid", "--seed", "2", space, dir, "--data", "digits", "--train-epochs", "2",
                                     "--train-seed", "7", "--lr", "0.1", "--weight-decay", "0.0005", "--crop-padding", "1",
                                     "--momentum", "0.8", "--nesterov", "--label-smoothing", "0.05", "--validation", "0.2",
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
        // `nasc run` takes every training setting of `nasc train`, and the retrain gets them back.
        for flag in ["--momentum", "--nesterov", "--label-smoothing", "--validation"] { #expect(flags.contains(flag), "\(flag): \(flags)") }
        let train = try NascProcess.run(["train", space, "--arch", arch] + flags + ["--json"])
        #expect(train.code == 0, "\(train.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        // Bit-for-bit the same validation accuracy, and the same parameter count.
        #expect(obj["validation_accuracy"] as? Double == metric, "\(train.stdout) vs trial metric \(metric)")
        // The trial's final validation loss (the tie-breaker) is the retrain's too, and top-k prints it.
        let loss = try #require(best.finalLoss)
        #expect(obj["validation_loss"] as? Double == loss)
        let top = try NascProcess.run(["experiment", "top-k", dir, "-k", "1"])
        #expect(top.stdout.contains("val_loss") && top.stdout.contains(String(format: "%.4f", loss)), "\(top.stdout)")
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
        #expect(!r.stdout.contains("note: "))   // TPE scales with the budget: nothing to say
        let grid = try NascProcess.run(["run", "--strategy", "grid", mlp, dir + "-grid", "--benchmark", "synthetic:1", "--max-trials", "3", "--no-live"])
        #expect(grid.stdout.contains("grid does not learn from results: its 3 trials are 3 distinct architectures"), "\(grid.stdout)")
        // TPE, with its start-up scaled to the 3-trial budget (at least 5) and stored with the experiment.
        #expect(list.stdout.hasPrefix("experiment \(dir): tpe (n_startup_jobs=5) over "), "\(list.stdout)")
    }
}
