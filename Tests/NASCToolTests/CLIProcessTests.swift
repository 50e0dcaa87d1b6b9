// End-to-end tests of the `nasc` binary: exit codes and one-line located errors for every kind of bad input.
import Foundation
import Testing

/// Runs the debug `nasc` binary that `swift build` produced next to the tests.
struct NascProcess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/nasc").path

    struct Result {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ args: [String], cwd: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nasc-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }
}

@Suite(.serialized) struct CLIProcessTests {
    @Test func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: NascProcess.binary), "build nasc first: swift build")
    }

    /// Writes `text` to `name` in a temp dir and runs `nasc <verb> name`; returns the result.
    func runOn(_ name: String, _ text: String, verb: String = "dump") throws -> NascProcess.Result {
        let dir = try NascProcess.tempDir()
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return try NascProcess.run([verb, name], cwd: dir)
    }

    func runOn(_ name: String, bytes: [UInt8], verb: String = "dump") throws -> NascProcess.Result {
        let dir = try NascProcess.tempDir()
        try Data(bytes).write(to: dir.appendingPathComponent(name))
        return try NascProcess.run([verb, name], cwd: dir)
    }

    func expectOneLineError(_ r: NascProcess.Result, _ prefix: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(r.code == 1, "exit code \(r.code), stderr: \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count >= 1, sourceLocation: sourceLocation)
        #expect(lines.first.map { $0.hasPrefix(prefix) } == true, "stderr was: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func missingFile() throws {
        let r = try NascProcess.run(["inspect", "/nonexistent/space.nas"])
        expectOneLineError(r, "/nonexistent/space.nas: error: no such file")
    }

    @Test func garbageProtobuf() throws {
        let r = try runOn("g.pb", bytes: Array("this is not protobuf at all\n".utf8))
        expectOneLineError(r, "g.pb: error: not a valid nasc protobuf file")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func truncatedProtobuf() throws {
        let dir = try NascProcess.tempDir()
        let full = try NascProcess.run(["compile", NascProcess.root.appendingPathComponent("examples/ir/interop.nir").path,
                                        "-o", dir.appendingPathComponent("full.pb").path])
        #expect(full.code == 0, "\(full.stderr)")
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("full.pb")))
        let r = try runOn("t.pb", bytes: Array(bytes.prefix(bytes.count / 2)))
        expectOneLineError(r, "t.pb: error: not a valid nasc protobuf file")
    }

    @Test func wrongFormatVersion() throws {
        // NascFile { format_version: 7 } — field 1, varint.
        let r = try runOn("v.pb", bytes: [0x08, 0x07])
        expectOneLineError(r, "v.pb: error: unsupported format version 7")
    }

    let header = "space \"t\" version 1 root @main\n"

    @Test func cyclicGraph() throws {
        let r = try runOn("c.nir", header + "graph @main(%x: f32[N,4]) {\n  %a = add(%x, %b)\n  %b = relu(%a)\n  return %b\n}\n")
        expectOneLineError(r, "c.nir:3:3: error: cycle through %a -> %b -> %a")
    }

    @Test func danglingEdge() throws {
        let r = try runOn("d.nir", header + "graph @main(%x: f32[N,4]) {\n  %a = relu(%nope)\n  return %a\n}\n")
        expectOneLineError(r, "d.nir:3:3: error: use of undefined value '%nope'")
    }

    @Test func duplicateName() throws {
        let r = try runOn("u.nir", header + "graph @main(%x: f32[N,4]) {\n  %a = relu(%x)\n  %a = tanh(%x)\n  return %a\n}\n")
        expectOneLineError(r, "u.nir:4:3: error: duplicate name '%a'")
    }

    @Test func typeMismatch() throws {
        let r = try runOn("m.nir", header + "graph @main(%x: f32[N,4], %y: f32[N,8]) {\n  %a = add(%x, %y)\n  return %a\n}\n")
        expectOneLineError(r, "m.nir:3:3: error:")
        #expect(r.stderr.contains("f32[N,4]") && r.stderr.contains("f32[N,8]"))
    }

    @Test func unknownSubgraph() throws {
        let r = try runOn("s.nir", header + "graph @main(%x: f32[N,4]) {\n  %a = call(%x) {graph = @missing}\n  return %a\n}\n")
        expectOneLineError(r, "s.nir:3:3: error: unknown subgraph '@missing'")
    }

    @Test func syntaxErrorInTextIR() throws {
        let r = try runOn("x.nir", header + "graph @main(%x: f32[N,4]) {\n  %a = frobnicate(%x)\n  return %a\n}\n")
        expectOneLineError(r, "x.nir:3:8: error:")
        #expect(r.stderr.contains("frobnicate"))
    }

    @Test func usageErrorExitsTwo() throws {
        let r = try NascProcess.run(["dump", "--no-such-flag", "x.nir"])
        #expect(r.code == 2)
        let r2 = try NascProcess.run(["frobnicate"])
        #expect(r2.code == 2)
        let help = try NascProcess.run(["--help"])
        #expect(help.code == 0 && help.stdout.contains("compile"))
    }

    @Test func compileDumpRoundTripIsExact() throws {
        let dir = try NascProcess.tempDir()
        let src = NascProcess.root.appendingPathComponent("examples/ir/interop.nir").path
        let pb = dir.appendingPathComponent("i.pb").path, nir = dir.appendingPathComponent("i.nir").path
        #expect(try NascProcess.run(["compile", src, "-o", pb]).code == 0)
        #expect(try NascProcess.run(["compile", src, "-o", nir]).code == 0)
        let fromPB = try NascProcess.run(["dump", pb])
        let fromNIR = try NascProcess.run(["dump", nir])
        #expect(fromPB.code == 0 && fromNIR.code == 0)
        #expect(fromPB.stdout == fromNIR.stdout)
        #expect(fromPB.stdout == (try String(contentsOfFile: nir, encoding: .utf8)))
        let dot = try NascProcess.run(["dump", pb, "--format", "dot"])
        #expect(dot.code == 0 && dot.stdout.hasPrefix("digraph") && dot.stdout.contains("cluster_g0_n1"))
        let json = try NascProcess.run(["dump", pb, "--format", "json"])
        #expect(json.code == 0 && json.stdout.contains("\"format_version\":1"))
    }

    @Test func printIRAfterAll() throws {
        let dir = try NascProcess.tempDir()
        let src = NascProcess.root.appendingPathComponent("examples/ir/interop.nir").path
        let r = try NascProcess.run(["compile", src, "-o", dir.appendingPathComponent("o.pb").path,
                                     "--passes", "canonicalize,dce,shape-infer", "--print-ir-after-all"])
        #expect(r.code == 0)
        for p in ["canonicalize", "dce", "shape-infer"] { #expect(r.stderr.contains("// -----// IR after \(p) //----- //")) }
        let bad = try NascProcess.run(["compile", src, "-o", dir.appendingPathComponent("o.pb").path, "--passes", "dcee"])
        #expect(bad.code == 1 && bad.stderr.contains("dcee") && bad.stderr.contains("dce"))
    }

    @Test func inspectReportsSpace() throws {
        let r = try NascProcess.run(["inspect", "examples/ir/interop.nir"])
        #expect(r.code == 0)
        #expect(r.stdout.contains("space size: 9216 architectures"))
        #expect(r.stdout.contains("cell/op_2_0"))
        #expect(r.stdout.contains("parameters: "))
    }

    @Test func spaceAsNNIJSON() throws {
        let r = try NascProcess.run(["space", "examples/ir/interop.nir", "--format", "nni"])
        #expect(r.code == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let conv1 = obj?["conv1"] as? [String: Any]
        #expect(conv1?["_type"] as? String == "layer_choice")
        #expect((obj?["width"] as? [String: Any])?["_type"] as? String == "choice")
    }

    // MARK: training and plans

    func archFile(_ json: String) throws -> String {
        let dir = try NascProcess.tempDir()
        let path = dir.appendingPathComponent("arch.json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func trainOneEpochOnDigits() throws {
        let arch = try archFile(#"{"conv1": "conv3x3", "width": 8, "skip": [0], "hidden": 16}"#)
        let r = try NascProcess.run(["train", "examples/digits.nas", "--arch", arch, "--epochs", "1", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let test = obj?["test_accuracy"] as? Double ?? 0
        #expect(test > 0.5, "one epoch should already beat chance by far: \(r.stdout)")
        #expect(obj?["parameters"] as? Int ?? 0 > 0)
        #expect(r.stderr.contains("epoch 1: train loss"))
    }

    @Test func compileArchitectureToPlanAndDumpIt() throws {
        let arch = try archFile(#"{"conv1": "conv5x5", "width": 16, "skip": [1], "hidden": 32}"#)
        let dir = try NascProcess.tempDir()
        let plan = dir.appendingPathComponent("p.pb").path
        let c = try NascProcess.run(["compile", "examples/digits.nas", "--arch", arch, "-o", plan])
        #expect(c.code == 0, "\(c.stderr)")
        let d = try NascProcess.run(["dump", plan])
        #expect(d.code == 0 && d.stdout.hasPrefix("plan \"digits\" (training, sgd)"))
        #expect(d.stdout.contains("activation memory:"))
    }

    @Test func badArchitectureNamesTheLabel() throws {
        let arch = try archFile(#"{"conv1": "conv7x7", "width": 16, "skip": [1], "hidden": 32}"#)
        let r = try NascProcess.run(["train", "examples/digits.nas", "--arch", arch, "--epochs", "1"])
        #expect(r.code == 1)
        #expect(r.stderr.hasPrefix(arch) && r.stderr.contains("conv1") && r.stderr.contains("conv7x7"), "\(r.stderr)")
        let missing = try archFile(#"{"conv1": "conv3x3"}"#)
        let m = try NascProcess.run(["train", "examples/digits.nas", "--arch", missing, "--epochs", "1"])
        #expect(m.code == 1 && m.stderr.contains("width"))
        let none = try NascProcess.run(["train", "examples/digits.nas", "--epochs", "1"])
        #expect(none.code == 1 && none.stderr.contains("--arch"))
    }

    @Test func badDataIsOneLocatedLine() throws {
        let arch = try archFile(#"{"conv1": "conv3x3", "width": 8, "skip": [0], "hidden": 16}"#)
        let dir = try NascProcess.tempDir()
        let r = try NascProcess.run(["train", "examples/digits.nas", "--arch", arch, "--data", "idx:\(dir.path)"])
        #expect(r.code == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(dir.path) && r.stderr.contains("error:"))
        // A data set whose samples do not fit the space's input.
        let wrong = try NascProcess.run(["train", "examples/digits.nas", "--arch", arch,
                                         "--data", "synthetic?count=64&test=16&shape=3x8x8&classes=10", "--epochs", "1"])
        #expect(wrong.code == 1 && wrong.stderr.contains("error:"), "\(wrong.stderr)")
    }

    @Test(arguments: [
        ("mnist", "12"), ("nb201", "15625"), ("mlp", "36"), ("digits", "24"),
        ("darts", "58366651170721628160000"), ("enas_macro", "160618186625454535808756219904"),
        ("mobilenet", "15992037016835457024"),
    ])
    func inspectEveryExample(_ name: String, _ size: String) throws {
        let r = try NascProcess.run(["inspect", "examples/\(name).nas", "--samples", "4", "--exhaustive-limit", "64"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("space size: \(size) architectures"), "\(r.stdout)")
        #expect(r.stdout.contains("parameters: "))
    }
}
