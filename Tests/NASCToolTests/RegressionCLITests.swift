// RegressionCLITests: regression (mean squared error) through `nasc train` and `nasc run --task regression`, and its
// bad-input errors.
import Foundation
import NASCExperiment
import Testing

/// A small regression space over 8 tabular features (the synthetic regression data), 2 x 2 architectures.
let regressionSpace = """
space reg

input x: [8]

hidden = choice("hidden", [8, 16])
h = x -> linear(out: hidden) -> layer_choice("act") {
    relu: relu
    tanh: tanh
}
return h -> linear(out: 1)
"""

@Suite(.serialized) struct RegressionCLITests {
    func files() throws -> (space: String, arch: String, dir: URL) {
        let dir = try NascProcess.tempDir()
        let space = dir.appendingPathComponent("reg.nas").path
        try regressionSpace.write(toFile: space, atomically: true, encoding: .utf8)
        let arch = dir.appendingPathComponent("a.json").path
        try #"{"hidden": 16, "act": "tanh"}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        return (space, arch, dir)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func trainMinimizesMeanSquaredError() throws {
        let (space, arch, _) = try files()
        var mse: [Int: Double] = [:]
        for epochs in [1, 15] {
            let r = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic:regression", "--task", "regression",
                                         "--epochs", String(epochs), "--lr", "0.02", "--json"])
            #expect(r.code == 0, "\(r.stderr)")
            let o = try json(r.stdout)
            #expect(o["parameters"] as? Int == 8 * 16 + 16 + 16 + 1)
            let v = try #require(o["validation_mse"] as? Double)
            let t = try #require(o["test_mse"] as? Double)
            #expect(v.isFinite && v >= 0 && t.isFinite && t >= 0)
            #expect(o["validation_accuracy"] == nil && o["test_accuracy"] == nil)
            // The progress lines show the error, not an accuracy of 0.
            #expect(r.stderr.contains("epoch 1: train mse ") && !r.stderr.contains(" acc "), "\(r.stderr)")
            mse[epochs] = v
        }
        // Training lowers the validation error substantially.
        #expect(mse[15]! < 0.5 * mse[1]!, "\(mse)")
        let text = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic:regression", "--task", "regression",
                                        "--epochs", "1"])
        #expect(text.stdout.contains("validation mse: ") && text.stdout.contains("test mse: "))
    }

    /// Saved regression weights read back: `nasc eval` gives the test MSE training reported, `nasc predict` one value
    /// per test sample.
    @Test func evalAndPredictReadSavedRegressionWeights() throws {
        let (space, arch, dir) = try files()
        let w = dir.appendingPathComponent("w.pb").path
        let r = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic:regression", "--task", "regression",
                                     "--epochs", "3", "--lr", "0.02", "--save", w, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let trained = try #require(try json(r.stdout)["test_mse"] as? Double)
        let e = try NascProcess.run(["eval", space, "--arch", arch, "--weights", w, "--data", "synthetic:regression",
                                     "--task", "regression", "--json"])
        #expect(e.code == 0, "\(e.stderr)")
        let o = try json(e.stdout)
        let mse = try #require(o["mse"] as? Double)
        #expect(o["accuracy"] == nil && o["split"] as? String == "test")
        #expect(abs(mse - trained) <= 1e-5 * max(trained, 1), "eval \(mse), train \(trained)")
        let p = try NascProcess.run(["predict", space, "--arch", arch, "--weights", w, "--data", "synthetic:regression",
                                     "--task", "regression"])
        #expect(p.code == 0, "\(p.stderr)")
        let rows = p.stdout.split(separator: "\n")
        #expect(rows.first == "output_0")
        #expect(rows.count - 1 == o["samples"] as? Int)
        #expect(rows.dropFirst().allSatisfy { Double($0)?.isFinite == true })
    }

    @Test func runRanksByLowestErrorAndRetrainReproducesIt() throws {
        let (space, _, dir) = try files()
        let exp = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "grid", space, exp, "--data", "synthetic:regression", "--task", "regression",
                                     "--train-epochs", "3", "--lr", "0.02", "--max-trials", "4", "--concurrency", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 4 trials, 4 succeeded, 0 failed"))
        let store = try ExperimentStore.open(directory: exp)
        let trials = try store.trials()
        // The metric is -MSE: every one negative, the best the one closest to zero.
        let metrics = trials.compactMap(\.finalMetric)
        #expect(metrics.count == 4 && metrics.allSatisfy { $0 < 0 })
        let best = try #require(try store.top(1).first)
        #expect(best.finalMetric == metrics.max())
        // Retraining the exported best with the trial's flags gives exactly its validation MSE.
        let export = try NascProcess.run(["experiment", "export", exp, "-k", "1", "-o", dir.appendingPathComponent("best").path])
        let arch = try #require(export.stdout.split(separator: "\n").map(String.init).first { $0.hasSuffix(".nni-v3.json") })
        let show = try NascProcess.run(["experiment", "show", exp, String(best.id)])
        let line = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("retrain (same schedule and seed): ") })
        let flags = line.components(separatedBy: "--arch ARCH.json ").last?.split(separator: " ").map(String.init) ?? []
        #expect(flags.contains("--task") && flags.contains("regression"))
        let train = try NascProcess.run(["train", space, "--arch", arch] + flags + ["--json"])
        #expect(train.code == 0, "\(train.stderr)")
        #expect(try json(train.stdout)["validation_mse"] as? Double == -(best.finalMetric ?? 0))
    }

    @Test func badRegressionInputsAreLocatedErrors() throws {
        let (space, arch, dir) = try files()
        // Class labels cannot be regressed.
        let digits = try NascProcess.run(["train", "examples/digits.nas", "--arch", try archForDigits(dir), "--task", "regression",
                                          "--epochs", "1"])
        #expect(digits.code == 1)
        #expect(digits.stderr.hasPrefix("--task: error: --task regression needs float targets, but data set 'digits' has class labels"))
        // Regression targets need --task regression.
        let noTask = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic:regression", "--epochs", "1"])
        #expect(noTask.code == 1 && noTask.stderr.hasPrefix("--task: error: data set 'synthetic:regression' has regression targets; give --task regression"))
        // A non-numeric target cell is located in the CSV.
        let csv = dir.appendingPathComponent("d.csv").path
        var rows = "a,b,c,d,e,f,g,h,y\n"
        for i in 0..<20 { rows += (0..<8).map { String(Double(i + $0) / 10) }.joined(separator: ",") + "," + (i == 5 ? "big" : String(i)) + "\n" }
        try rows.write(toFile: csv, atomically: true, encoding: .utf8)
        let bad = try NascProcess.run(["train", space, "--arch", arch, "--data", "csv:\(csv)?target=y", "--task", "regression", "--epochs", "1"])
        #expect(bad.code == 1)
        #expect(bad.stderr.hasPrefix("\(csv):7:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("error: regression target \"big\" is not a finite number"))
        // An unknown task, for `nasc train` and for `nasc run` (checked before the experiment is created).
        let unknown = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic:regression", "--task", "ranking"])
        #expect(unknown.code == 1 && unknown.stderr.hasPrefix("--task: error: unknown task 'ranking'"))
        let run = try NascProcess.run(["run", space, dir.appendingPathComponent("e").path, "--data", "synthetic:regression",
                                       "--task", "ranking", "--max-trials", "1"])
        #expect(run.code == 1 && run.stderr.hasPrefix("--task: error: unknown task 'ranking'"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("e").path))
    }

    func archForDigits(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("d.json").path
        try #"{"conv1": "conv3x3", "width": 8, "skip": [0], "hidden": 16}"#.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
