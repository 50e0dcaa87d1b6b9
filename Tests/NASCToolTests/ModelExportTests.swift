// ModelExportTests: `nasc export` against the real runtimes, for sampled architectures of every example space —
// ONNX: checker, opset/IR version, onnxruntime equal to `nasc predict` within 1e-5 relative at batch 7 and batch 1;
// PyTorch: model.py + model.safetensors loaded with load_state_dict(strict=True), eval outputs equal to predict.
import Foundation
import NASCIR
import NASCTool
import Testing

@Suite(.serialized) struct ModelExportTests {
    /// Exports `arch` of `spaceURL` with random non-trivial weights and compares onnxruntime with `nasc predict`.
    /// Returns the comparison's JSON line.
    /// With `torch`, also exports PyTorch and compares it (one architecture per space: importing torch is slow).
    func compare(_ spaceURL: URL, _ space: ModelSpace, _ arch: Architecture, seed: UInt64, torch withTorch: Bool,
                 in dir: URL) throws -> String {
        let archURL = dir.appendingPathComponent("arch.pb"), weightsURL = dir.appendingPathComponent("w.pb")
        let model = dir.appendingPathComponent("model.onnx")
        try ExportSupport.write(try ProtoIO.encode(arch), archURL)
        let weights = try ExportSupport.weights(space, arch, seed: seed)
        try ExportSupport.write(try ProtoIO.encode(weights), weightsURL)
        let spec = try ExportSupport.dataSpec(space, test: 7, in: dir)

        let export = try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                          "--format", "onnx", "-o", model.path])
        #expect(export.code == 0, "\(export.stderr)")
        var paths: [String] = []
        for (name, batch) in [("p7.npy", "256"), ("p1.npy", "1")] {
            let out = dir.appendingPathComponent(name)
            let r = try NascProcess.run(["predict", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                         "--data", spec, "--split", "test", "--batch-size", batch, "-o", out.path])
            #expect(r.code == 0, "\(r.stderr)")
            paths.append(out.path)
        }
        // The raw samples predict read, for onnxruntime.
        let inference = try InferenceModel(space: space, architecture: arch, weights: weights, weightsFile: weightsURL.path)
        let raw = try inference.loadData(spec, split: .test, normalize: false)
        #expect(raw.count == 7)
        let inputs = dir.appendingPathComponent("inputs.npy")
        try ExportSupport.write(ArrayFile.npy(raw.features, rows: raw.count, columns: raw.sampleSize), inputs)
        let check = try ExportSupport.python(["scripts/onnx-compare.py", model.path, inputs.path] + paths)
        #expect(check.code == 0, "\(spaceURL.lastPathComponent): \(check.stdout) \(check.stderr)")

        guard withTorch else { return check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        let torchDir = dir.appendingPathComponent("torch")
        try? FileManager.default.removeItem(at: torchDir)
        let torchExport = try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                               "--format", "pytorch", "-o", torchDir.path])
        #expect(torchExport.code == 0, "\(torchExport.stderr)")
        let torch = try ExportSupport.python(["scripts/torch-compare.py", torchDir.path, inputs.path, paths[0]])
        #expect(torch.code == 0, "\(spaceURL.lastPathComponent): \(torch.stdout) \(torch.stderr)")
        return check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + " " + torch.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func everyExampleSpaceMatchesOnnxRuntime() throws {
        let dir = try NascProcess.tempDir()
        var compared = 0
        var uncompilable: [String] = []
        for url in try ExportSupport.exampleSpaces() {
            let space = try ExportSupport.space(url)
            // Architectures nasc itself cannot compile (e.g. `padding = same` needing asymmetric padding, a shape
            // error) have nothing to compare; draw until two compile.
            var compiled: [Architecture] = []
            for arch in try ExportSupport.architectures(space, count: 8, seed: 11) where compiled.count < 2 {
                if (try? ArchitectureTraining.initialWeights(space, arch)) != nil { compiled.append(arch) }
            }
            if compiled.isEmpty { uncompilable.append(url.lastPathComponent) }
            for (k, arch) in compiled.enumerated() {
                let line = try compare(url, space, arch, seed: UInt64(k + 1), torch: k == 0, in: dir)
                print("export \(url.lastPathComponent) arch \(k): \(line)")
                compared += 1
            }
        }
        // Every example space has architectures nasc compiles (mobilenet.nas pads its strided layers explicitly).
        #expect(uncompilable == [])
        #expect(compared >= 20)
    }

    /// docs/export.md's retraining script, run as written on a PyTorch export of digits.nas: it loads the pair
    /// strictly, trains in PyTorch and saves a state dict that loads strictly again and differs from the export.
    @Test func docsRetrainingScriptRunsAsWritten() throws {
        let doc = try String(contentsOf: NascProcess.root.appendingPathComponent("docs/export.md"), encoding: .utf8)
        let start = try #require(doc.range(of: "<!-- retrain"))
        let end = try #require(doc.range(of: "<!-- /retrain -->", range: start.upperBound..<doc.endIndex))
        let script = try #require(doc[start.upperBound..<end.lowerBound].firstMatch(of: /```python\n((?s).*?)```/)).1

        let dir = try NascProcess.tempDir()
        let spaceURL = ExportSupport.examples.appendingPathComponent("digits.nas")
        let space = try ExportSupport.space(spaceURL)
        let arch = try #require(try ExportSupport.architectures(space, count: 1, seed: 5).first)
        let archURL = dir.appendingPathComponent("arch.pb"), weightsURL = dir.appendingPathComponent("w.pb")
        try ExportSupport.write(try ProtoIO.encode(arch), archURL)
        try ExportSupport.write(try ProtoIO.encode(try ExportSupport.weights(space, arch, seed: 2)), weightsURL)
        let export = try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", weightsURL.path,
                                          "--format", "pytorch", "-o", dir.appendingPathComponent("exported").path])
        #expect(export.code == 0, "\(export.stderr)")
        try FileManager.default.copyItem(at: dir.appendingPathComponent("exported/model.safetensors"),
                                         to: dir.appendingPathComponent("before.safetensors"))
        let scriptURL = dir.appendingPathComponent("retrain.py")
        try String(script).write(to: scriptURL, atomically: true, encoding: .utf8)
        // Raw samples [N, 1, 8, 8] and labels, then the script, then a check that the result loads strictly again.
        let data = "import numpy as n; r = n.random.default_rng(0); n.save('x.npy', r.random((96, 1, 8, 8), dtype='f4')); n.save('y.npy', r.integers(0, 10, 96))"
        let check = """
            import sys; sys.path.insert(0, 'exported')
            from model import Digits
            from safetensors.torch import load_file
            Digits().load_state_dict(load_file('exported/model.safetensors'), strict=True)
            a, b = load_file('before.safetensors'), load_file('exported/model.safetensors')
            assert sorted(a) == sorted(b)
            print(max(float((a[k].double() - b[k].double()).abs().max()) for k in a))
            """
        for args in [["-c", data], [scriptURL.path], ["-c", check]] {
            let r = try ExportSupport.python(args, in: dir)
            #expect(r.code == 0, "\(args.first ?? ""): \(r.stderr)")
            if args.first == "-c" && args.last == check {
                #expect((Double(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "weights unchanged: \(r.stdout)")
            }
        }
    }
}
