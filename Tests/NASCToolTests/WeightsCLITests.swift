// WeightsCLITests: `nasc predict`, `nasc eval`, `train --init-from` and `train --resume` on the bundled digits data,
// and each bad-input case: weights of another architecture, truncated weights, a NaN, a missing output directory,
// data of the wrong sample shape.
import Foundation
import NASCIR
import NASCTool
import Testing

@Suite(.serialized) struct WeightsCLITests {
    static let space = NascProcess.root.appendingPathComponent("examples/digits.nas").path
    static let archA = #"{"conv1": "conv3x3", "width": 8, "skip": 0, "hidden": 32}"#
    static let archB = #"{"conv1": "conv5x5", "width": 16, "skip": 1, "hidden": 64}"#

    /// A temp dir holding a.json, b.json and weights of architecture A trained for one epoch (w.pb).
    func trained() throws -> (URL, NascProcess.Result) {
        let dir = try NascProcess.tempDir()
        try Self.archA.write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
        try Self.archB.write(to: dir.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["train", Self.space, "--arch", dir.appendingPathComponent("a.json").path, "--epochs", "1",
                                     "--save", dir.appendingPathComponent("w.pb").path, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        return (dir, r)
    }

    func checkpoint(_ url: URL) throws -> Checkpoint {
        guard case .checkpoint(let c) = try InputFile(path: url.path).load() else { throw CocoaError(.fileReadUnknown) }
        return c
    }

    func expectOneLine(_ r: NascProcess.Result, _ prefix: String, contains: [String] = [],
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(r.code == 1, "exit \(r.code): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix(prefix), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
        for c in contains { #expect(r.stderr.contains(c), "missing '\(c)' in: \(r.stderr)", sourceLocation: sourceLocation) }
    }

    @Test func evalMatchesTrainingAndPredictWritesRows() throws {
        let (dir, train) = try trained()
        let a = dir.appendingPathComponent("a.json").path, w = dir.appendingPathComponent("w.pb").path
        let eval = try NascProcess.run(["eval", Self.space, "--arch", a, "--weights", w, "--json"])
        #expect(eval.code == 0, "\(eval.stderr)")
        // The test accuracy nasc train reported is what eval measures on the same split with the saved weights.
        let trainJSON = try JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as! [String: Any]
        let evalJSON = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as! [String: Any]
        #expect(evalJSON["accuracy"] as? Double == trainJSON["test_accuracy"] as? Double)
        #expect(evalJSON["samples"] as? Int == 360)
        #expect((evalJSON["loss"] as? Double).map { $0 > 0 && $0.isFinite } == true)

        let csv = try NascProcess.run(["predict", Self.space, "--arch", a, "--weights", w])
        #expect(csv.code == 0)
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.count == 361 && rows[0].hasPrefix("output_0,") && rows[1].split(separator: ",").count == 10)
        // .npy: a 128-byte header then 360 x 10 little-endian float32, equal to the CSV values.
        let npy = dir.appendingPathComponent("p.npy")
        #expect(try NascProcess.run(["predict", Self.space, "--arch", a, "--weights", w, "-o", npy.path]).code == 0)
        let bytes = [UInt8](try Data(contentsOf: npy))
        #expect(bytes.count == 128 + 360 * 10 * 4)
        let first = Float(bitPattern: UInt32(bytes[128]) | UInt32(bytes[129]) << 8 | UInt32(bytes[130]) << 16 | UInt32(bytes[131]) << 24)
        #expect(first == Float(String(rows[1].split(separator: ",")[0])))
        // Accuracy from predict's rows agrees with eval.
        let all = try NascProcess.run(["eval", Self.space, "--arch", a, "--weights", w, "--split", "all", "--json"])
        #expect(all.stdout.contains("\"samples\":1797"))
    }

    @Test func initFromStartsFromTheSavedWeights() throws {
        let (dir, _) = try trained()
        let a = dir.appendingPathComponent("a.json").path, w = dir.appendingPathComponent("w.pb").path
        let out = dir.appendingPathComponent("w2.pb")
        let fresh = dir.appendingPathComponent("fresh.pb")
        // A learning rate of 1e-30 moves no trained parameter by more than rounding (--lr must be positive).
        for (start, save) in [(["--init-from", w], out), ([], fresh)] {
            let r = try NascProcess.run(["train", Self.space, "--arch", a, "--epochs", "1", "--lr", "1e-30"] + start + ["--save", save.path])
            #expect(r.code == 0, "\(r.stderr)")
        }
        // From the loaded weights the parameters stay the loaded ones (running statistics keep moving); from a
        // fresh start they are the initial ones, far from them.
        let before = try checkpoint(URL(fileURLWithPath: w)), after = try checkpoint(out), initial = try checkpoint(fresh)
        func distance(_ c: Checkpoint, _ p: Checkpoint.Tensor) -> Float {
            guard let v = c.tensors.first(where: { $0.name == p.name })?.values, v.count == p.values.count else { return .infinity }
            return zip(v, p.values).map { abs($0 - $1) }.max() ?? 0
        }
        let params = before.tensors.filter { $0.role == .parameter }
        #expect(!params.isEmpty)
        for p in params { #expect(distance(after, p) <= 1e-6, "\(p.name)") }
        #expect(params.map { distance(initial, $0) }.max() ?? 0 > 1e-2)
        #expect(after.epoch == 1)
    }

    /// An interrupted run (stopped mid-epoch by the library) resumed by `nasc train --resume` ends bit-identical to
    /// the same run uninterrupted.
    @Test func resumeIsBitIdentical() throws {
        let dir = try NascProcess.tempDir()
        let a = dir.appendingPathComponent("a.json"), full = dir.appendingPathComponent("full.pb")
        let part = dir.appendingPathComponent("part.pb"), resumed = dir.appendingPathComponent("resumed.pb")
        try Self.archA.write(to: a, atomically: true, encoding: .utf8)
        let flags = ["--epochs", "3", "--optimizer", "adam", "--lr", "0.01", "--seed", "4"]
        let r = try NascProcess.run(["train", Self.space, "--arch", a.path, "--save", full.path] + flags)
        #expect(r.code == 0, "\(r.stderr)")

        var options = TrainOptions()
        options.epochs = 3; options.optimizer = "adam"; options.learningRate = 0.01; options.seed = 4
        let space = try InputFile(path: Self.space).loadSpace()
        let arch = try ArchitectureFile.load(a.path, for: space)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(NascProcess.root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let stopped = try ArchitectureTraining.train(space, arch, options: options, maxBatches: 30)  // epoch 1, batch 7 of 23
        #expect(stopped.checkpoint.epoch == 1 && stopped.checkpoint.batchInEpoch > 0)
        try ExportSupport.write(try ProtoIO.encode(stopped.checkpoint), part)

        let r2 = try NascProcess.run(["train", Self.space, "--arch", a.path, "--resume", part.path, "--save", resumed.path] + flags)
        #expect(r2.code == 0, "\(r2.stderr)")
        let x = try checkpoint(full), y = try checkpoint(resumed)
        #expect(x.tensors.count == y.tensors.count && !x.tensors.isEmpty)
        for (p, q) in zip(x.tensors, y.tensors) {
            #expect(p.name == q.name)
            #expect(p.values.map(\.bitPattern) == q.values.map(\.bitPattern), "\(p.name) differs")
        }
        #expect(x.stepsTaken == y.stepsTaken && x.updatesTaken == y.updatesTaken && x.epoch == 3)
    }

    @Test func badWeightsAreOneLocatedLine() throws {
        let (dir, _) = try trained()
        let a = dir.appendingPathComponent("a.json").path, b = dir.appendingPathComponent("b.json").path
        let w = dir.appendingPathComponent("w.pb")

        // Weights of another architecture: every mismatch named with both shapes.
        let other = try NascProcess.run(["predict", Self.space, "--arch", b, "--weights", w.path])
        expectOneLine(other, "\(w.path): error: weights do not fit the model (11 mismatches): ",
                      contains: ["'c1.conv2d.weight' expected [16, 1, 5, 5], found [8, 1, 3, 3]", "'c2_conv2d.weight' [16, 16, 3, 3] is missing"])
        let initOther = try NascProcess.run(["train", Self.space, "--arch", b, "--epochs", "1", "--init-from", w.path])
        expectOneLine(initOther, "\(w.path): error: weights do not fit the model")

        // Truncated.
        let bytes = [UInt8](try Data(contentsOf: w))
        let truncated = dir.appendingPathComponent("truncated.pb")
        try ExportSupport.write(Array(bytes.prefix(bytes.count / 2)), truncated)
        expectOneLine(try NascProcess.run(["eval", Self.space, "--arch", a, "--weights", truncated.path]),
                      "\(truncated.path): error: not a valid nasc protobuf file")

        // A NaN in a parameter.
        var c = try checkpoint(w)
        let i = c.tensors.firstIndex { $0.name == "linear.weight" }!
        c.tensors[i].values[5] = .nan
        let nan = dir.appendingPathComponent("nan.pb")
        try ExportSupport.write(try ProtoIO.encode(c), nan)
        for verb in ["predict", "export"] {
            let extra = verb == "export" ? ["-o", dir.appendingPathComponent("m.onnx").path] : []
            expectOneLine(try NascProcess.run([verb, Self.space, "--arch", a, "--weights", nan.path] + extra),
                          "\(nan.path): error: weights do not fit the model (1 mismatch): 'linear.weight' has a non-finite value (nan) at index 5")
        }
        expectOneLine(try NascProcess.run(["train", Self.space, "--arch", a, "--epochs", "2", "--resume", nan.path]),
                      "\(nan.path): error: checkpoint tensor 'linear.weight' has a non-finite value (nan) at index 5")

        // An export path in a missing directory, and predict data of the wrong sample shape.
        let missing = dir.appendingPathComponent("no/such/dir/model.onnx").path
        expectOneLine(try NascProcess.run(["export", Self.space, "--arch", a, "--weights", w.path, "-o", missing]),
                      "\(missing): error: directory '\(dir.appendingPathComponent("no/such/dir").path)' does not exist")
        expectOneLine(try NascProcess.run(["predict", Self.space, "--arch", a, "--weights", w.path, "--data", "synthetic?shape=1x4x4"]),
                      "--data: error: data sample shape [1,4,4] does not match the space input f32[N,1,8,8]")
        // The weights file must be a checkpoint, not (here) an architecture.
        let space = try InputFile(path: Self.space).loadSpace()
        let archPB = dir.appendingPathComponent("arch.pb")
        try ExportSupport.write(try ProtoIO.encode(try ArchitectureFile.load(a, for: space)), archPB)
        expectOneLine(try NascProcess.run(["predict", Self.space, "--arch", a, "--weights", archPB.path]),
                      "\(archPB.path): error: expected weights (a checkpoint written by nasc train --save), found an architecture")
    }
}
