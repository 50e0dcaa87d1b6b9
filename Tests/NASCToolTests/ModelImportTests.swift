// ModelImportTests: `nasc import` — nasc's own exports round-trip (shapes, parameter count, outputs), a model made by
// torch.onnx.export imports and runs like onnxruntime, and bad ONNX input is one located line.
import Foundation
import NASCIR
import NASCONNX
import NASCTool
import Testing

@Suite(.serialized) struct ModelImportTests {
    static let fixture = NascProcess.root.appendingPathComponent("Tests/NASCToolTests/Fixtures/tiny_resnet.onnx").path

    /// Reads a float32 .npy written by `nasc predict`.
    func npy(_ url: URL) throws -> [Float] {
        let b = [UInt8](try Data(contentsOf: url))
        let header = 10 + Int(b[8]) + Int(b[9]) << 8
        return stride(from: header, to: b.count, by: 4).map {
            Float(bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }

    func parameters(_ c: Checkpoint) -> Int { c.tensors.filter { $0.role == .parameter }.reduce(0) { $0 + $1.values.count } }

    @Test(arguments: ["digits.nas", "mlp.nas", "mnist.nas", "digits_valuechoice.nas"])
    func exportThenImportIsTheSameModel(_ name: String) throws {
        let dir = try NascProcess.tempDir()
        let spaceURL = ExportSupport.examples.appendingPathComponent(name)
        let space = try ExportSupport.space(spaceURL)
        let arch = try #require(try ExportSupport.architectures(space, count: 1, seed: 5).first)
        let weights = try ExportSupport.weights(space, arch, seed: 9)
        let archURL = dir.appendingPathComponent("a.pb"), w = dir.appendingPathComponent("w.pb")
        try ExportSupport.write(try ProtoIO.encode(arch), archURL)
        try ExportSupport.write(try ProtoIO.encode(weights), w)
        let onnx = dir.appendingPathComponent("m.onnx"), base = dir.appendingPathComponent("base.nas")
        let w2 = dir.appendingPathComponent("base.pb")
        #expect(try NascProcess.run(["export", spaceURL.path, "--arch", archURL.path, "--weights", w.path, "-o", onnx.path]).code == 0)
        let imported = try NascProcess.run(["import", onnx.path, "-o", base.path, "--weights-out", w2.path])
        #expect(imported.code == 0, "\(imported.stderr)")

        // Same parameter count and output shape.
        let back = try ExportSupport.space(base)
        let none = try ArchitectureFile.none(for: back, file: base.path)
        let original = try ArchitectureTraining.subnet(space, arch), again = try ArchitectureTraining.subnet(back, none)
        #expect(original.rootGraph?.inputs.first?.type == again.rootGraph?.inputs.first?.type)
        let outType = { (s: ModelSpace) in s.rootGraph.flatMap { g in g.type(of: g.outputs[0]) } }
        #expect(outType(original) != nil && outType(original) == outType(again))
        let importedWeights = try TrainingStart.loadCheckpoint(w2.path)
        #expect(parameters(importedWeights) == parameters(weights) && parameters(weights) > 0)
        #expect(importedWeights.inputNormalization == weights.inputNormalization)

        // Same outputs on the same data.
        let spec = ExportSupport.syntheticSpec(space, test: 7)
        let p1 = dir.appendingPathComponent("p1.npy"), p2 = dir.appendingPathComponent("p2.npy")
        #expect(try NascProcess.run(["predict", spaceURL.path, "--arch", archURL.path, "--weights", w.path, "--data", spec, "-o", p1.path]).code == 0)
        let r = try NascProcess.run(["predict", base.path, "--weights", w2.path, "--data", spec, "-o", p2.path])
        #expect(r.code == 0, "\(r.stderr)")
        let (a, b) = (try npy(p1), try npy(p2))
        #expect(a.count == b.count && !a.isEmpty)
        let worst = zip(a, b).map { abs($0 - $1) / max(abs($0), 1) }.max() ?? .infinity
        #expect(worst <= 1e-5, "max error \(worst)")
        print("import round trip \(name): max error \(worst), parameters \(parameters(weights))")
    }

    /// A torchvision-style residual network exported by torch.onnx.export (scripts/make-onnx-fixture.py).
    @Test func torchExportedModelImportsAndMatchesOnnxRuntime() throws {
        let dir = try NascProcess.tempDir()
        let base = dir.appendingPathComponent("resnet.nas"), w = dir.appendingPathComponent("resnet.pb")
        let r = try NascProcess.run(["import", Self.fixture, "-o", base.path, "--weights-out", w.path])
        #expect(r.code == 0, "\(r.stderr)")
        let source = try String(contentsOf: base, encoding: .utf8)
        #expect(source.contains("layer1_0_conv1 = ") && source.contains("add(") && source.contains("-> global_avg_pool"))
        let spec = "synthetic?shape=3x16x16&count=8&test=7&seed=2"
        let out = dir.appendingPathComponent("p.npy")
        let p = try NascProcess.run(["predict", base.path, "--weights", w.path, "--data", spec, "-o", out.path])
        #expect(p.code == 0, "\(p.stderr)")
        let space = try ExportSupport.space(base)
        let model = try InferenceModel(space: space, architecture: try ArchitectureFile.none(for: space, file: base.path),
                                       weights: try TrainingStart.loadCheckpoint(w.path), weightsFile: w.path)
        let raw = try model.loadData(spec, split: .test, normalize: false)
        let inputs = dir.appendingPathComponent("x.npy")
        try ExportSupport.write(ArrayFile.npy(raw.features, rows: raw.count, columns: raw.sampleSize), inputs)
        let check = try ExportSupport.python(["scripts/onnx-compare.py", Self.fixture, inputs.path, out.path])
        #expect(check.code == 0, "\(check.stdout) \(check.stderr)")
        print("import torch fixture: \(check.stdout)")
    }

    func model(op: String, dims: [Onnx_TensorShapeProto.Dimension]) throws -> [UInt8] {
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        input.type.tensorType.elemType = 1
        input.type.tensorType.shape.dim = dims
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        output.type.tensorType.elemType = 1
        var node = Onnx_NodeProto()
        node.opType = op; node.name = "up"; node.input = ["x"]; node.output = ["y"]
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.graph.node = [node]; m.graph.input = [input]; m.graph.output = [output]
        return try m.serializedBytes()
    }

    /// `y = Gemm(x, w)` (transB 0) with a weight of `weightDims` holding `floats` (nil: an INT8 tensor).
    func gemm(weightDims: [Int64], floats: [Float]?) throws -> [UInt8] {
        var m = try Onnx_ModelProto(serializedBytes: try model(op: "Gemm", dims: [Self.dim(1), Self.dim(3)]))
        var w = Onnx_TensorProto()
        w.name = "w"; w.dims = weightDims
        if let floats { w.dataType = 1; w.floatData = floats } else { w.dataType = 3; w.rawData = Data(repeating: 1, count: 12) }
        m.graph.initializer = [w]
        m.graph.node[0].name = "fc"
        m.graph.node[0].input = ["x", "w"]
        return try m.serializedBytes()
    }

    static func dim(_ v: Int64) -> Onnx_TensorShapeProto.Dimension { var d = Onnx_TensorShapeProto.Dimension(); d.dimValue = v; return d }
    static func dim(_ p: String) -> Onnx_TensorShapeProto.Dimension { var d = Onnx_TensorShapeProto.Dimension(); d.dimParam = p; return d }

    @Test func badOnnxIsOneLocatedLine() throws {
        let dir = try NascProcess.tempDir()
        func run(_ bytes: [UInt8], _ file: String) throws -> NascProcess.Result {
            let url = dir.appendingPathComponent(file)
            try ExportSupport.write(bytes, url)
            return try NascProcess.run(["import", url.path, "-o", dir.appendingPathComponent("out.nas").path])
        }
        let cases: [([UInt8], String, String)] = [
            (try model(op: "Resize", dims: [Self.dim("N"), Self.dim(3), Self.dim(4), Self.dim(4)]), "resize.onnx",
             "error: unsupported ONNX op 'Resize' (node 'up')"),
            (try model(op: "Relu", dims: [Self.dim("N"), Self.dim(3), Self.dim("H"), Self.dim(4)]), "dynamic.onnx",
             "error: input 'x' dimension 2 is symbolic ('H'); nasc needs a fixed sample shape"),
            ([0x08, 0x08, 0x12, 0xff, 0xff, 0x01, 0x7a], "corrupt.onnx", "error: not a valid ONNX model"),
            // Shapes and sizes from the file are checked before any allocation or arithmetic.
            (try gemm(weightDims: [1 << 40, 1 << 40], floats: []), "huge.onnx", "error: tensor 'w' has an impossible shape"),
            (try gemm(weightDims: [-4, 2], floats: []), "negative.onnx", "error: tensor 'w' has an impossible shape"),
            (try gemm(weightDims: [3, 4], floats: [1, 2, 3]), "short.onnx", "error: tensor 'w' has 3 values for shape [3, 4]"),
            (try gemm(weightDims: [3, 4], floats: nil), "int8.onnx",
             "error: unsupported ONNX op 'Gemm' (node 'fc'): input 1 must be a constant"),
        ]
        for (bytes, file, message) in cases {
            let r = try run(bytes, file)
            #expect(r.code == 1, "\(file): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.hasPrefix(dir.appendingPathComponent(file).path + ": " + message), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.nas").path))
    }
}
