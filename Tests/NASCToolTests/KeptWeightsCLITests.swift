// KeptWeightsCLITests: `nasc run --keep-weights` keeps each training trial's weights, and `nasc experiment export
// --format onnx|pytorch` turns the best trials into models; without kept weights the export names the trial.
import Foundation
import NASCIR
import NASCTool
import Testing

@Suite(.serialized) struct KeptWeightsCLITests {
    static let space = NascProcess.root.appendingPathComponent("examples/digits.nas").path

    func search(_ dir: URL, keep: Bool) throws {
        let r = try NascProcess.run(["run", "--strategy", "random", Self.space, dir.path, "--data", "digits", "--max-trials", "2",
                                     "--train-epochs", "1", "--no-live"] + (keep ? ["--keep-weights"] : []))
        #expect(r.code == 0, "\(r.stderr)")
    }

    @Test func bestTrialsExportAsModels() throws {
        let root = try NascProcess.tempDir()
        let dir = root.appendingPathComponent("exp"), out = root.appendingPathComponent("models")
        try search(dir, keep: true)
        let kept = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("weights").path).sorted()
        #expect(kept == ["trial_1.pb", "trial_2.pb"] || kept == ["trial_0.pb", "trial_1.pb"], "\(kept)")

        let r = try NascProcess.run(["experiment", "export", dir.path, "-k", "1", "--format", "nni-v3", "--format", "onnx",
                                     "--format", "pytorch", "-o", out.path])
        #expect(r.code == 0, "\(r.stderr)")
        let files = r.stdout.split(separator: "\n").map(String.init)
        let onnx = try #require(files.first { $0.hasSuffix(".onnx") })
        let arch = try #require(files.first { $0.hasSuffix(".nni-v3.json") })
        #expect(files.contains { $0.hasSuffix("/model.py") } && files.contains { $0.hasSuffix("/model.safetensors") })

        // The kept weights are the trial's trained model: predict runs them, and the exported ONNX model agrees.
        let id = URL(fileURLWithPath: onnx).deletingPathExtension().lastPathComponent  // trial_<id>
        let weights = dir.appendingPathComponent("weights/\(id).pb").path
        let predicted = root.appendingPathComponent("p.npy")
        let p = try NascProcess.run(["predict", Self.space, "--arch", arch, "--weights", weights, "-o", predicted.path])
        #expect(p.code == 0, "\(p.stderr)")
        let space = try InputFile(path: Self.space).loadSpace()
        let model = try InferenceModel(space: space, architecture: try ArchitectureFile.load(arch, for: space),
                                       weights: try TrainingStart.loadCheckpoint(weights), weightsFile: weights)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(NascProcess.root.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let raw = try model.loadData("digits", split: .test, normalize: false)
        let inputs = root.appendingPathComponent("x.npy")
        try ExportSupport.write(ArrayFile.npy(raw.features, rows: raw.count, columns: raw.sampleSize), inputs)
        let check = try ExportSupport.python(["scripts/onnx-compare.py", onnx, inputs.path, predicted.path])
        #expect(check.code == 0, "\(check.stdout) \(check.stderr)")
    }

    @Test func exportWithoutKeptWeightsNamesTheTrial() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp")
        try search(dir, keep: false)
        let r = try NascProcess.run(["experiment", "export", dir.path, "--format", "onnx"])
        #expect(r.code == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("\(dir.path): error: trial ") && r.stderr.contains("has no kept weights"), "\(r.stderr)")
        let flag = try NascProcess.run(["run", "--strategy", "random", Self.space, dir.path + "2", "--benchmark", "synthetic:1",
                                        "--keep-weights"])
        #expect(flag.code == 2 && flag.stderr.contains("--keep-weights needs multi-trial training trials"), "\(flag.stderr)")
    }
}
