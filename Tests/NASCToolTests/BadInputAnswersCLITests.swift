// BadInputAnswersCLITests: inputs that used to be accepted silently, crash, or get a misleading answer each get one
// right answer from the `nasc` binary (issue 17: diverged training, huge batches, long value-choice lists, fixed
// repeats, empty candidate lists, constants in input shapes, JSON-array architectures, validation splits of tiny
// data, long source lines, inspect agreeing with compile).
import Foundation
import Testing
import NASCIR
import NASCRuntime
import NASCTool

@Suite struct BadInputAnswersCLITests {
    func write(_ dir: URL, _ name: String, _ text: String) throws -> String {
        let p = dir.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// Four rows of a two-feature CSV with class labels (also usable as regression targets).
    func tinyCSV(_ dir: URL) throws -> String {
        try write(dir, "d.csv", "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    }

    @Test func divergedTrainingIsADivergedErrorWithValidJSON() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "r.nas", "input x: [2]\nreturn x -> linear(out: 1)\n")
        let csv = try tinyCSV(dir)
        let r = try NascProcess.run(["train", space, "--data", "csv:\(csv)?target=label", "--task", "regression", "--epochs", "8",
                                     "--validation", "0", "--lr", "1e10", "--schedule", "constant", "--json"])
        #expect(r.code == 1)
        let line = try #require(r.stdout.split(separator: "\n").last.map(String.init))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(r.stdout)")
        #expect(json["type"] as? String == "error" && json["kind"] as? String == "diverged", "\(line)")
        #expect(!r.stdout.contains("nan") || !r.stdout.contains("_mse\":"), "\(r.stdout)")
        #expect(r.stderr.contains("\(space): error: diverged: "), "\(r.stderr)")
    }

    @Test func aHugeBatchTrainsOnTheWholeData() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: [2]\nreturn x -> linear(out: 2)\n")
        let csv = try tinyCSV(dir)
        let r = try NascProcess.run(["train", space, "--data", "csv:\(csv)?target=label", "--epochs", "1", "--validation", "0",
                                     "--batch-size", "1000000000", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"train_accuracy\""), "\(r.stdout)")
    }

    /// An allocation the machine cannot hold is refused with one line before anything is allocated.
    @Test func anImpossibleBatchIsRefusedBeforeAllocating() throws {
        let space = try TextIR.parse("""
            space "s" version 1 root @main
            graph @main(%x: f32[N,1024]) {
              %y = linear(%x) {out = 10}
              return %y
            }
            """, file: "s.nir")
        let plan = try ArchitectureTraining.plan(space, Architecture(), options: TrainOptions(), training: false)
        let exec = try Executor(plan: plan)
        let e = #expect(throws: DiagnosticError.self) { try exec.bind(batch: 1 << 40) }
        #expect(e?.description.contains("of activation memory, more than the") == true && e?.description.contains("\n") == false,
                "\(e?.description ?? "")")
        try exec.bind(batch: 4)  // and the executor still works
    }

    @Test func longValueChoiceListsHaveANamedLimit() throws {
        let dir = try NascProcess.tempDir()
        func space(_ n: Int) throws -> String {
            let values = (1...n).map(String.init).joined(separator: ", ")
            return try write(dir, "v\(n).nas", "input x: [4]\nreturn x -> linear(out: choice(\"w\", [\(values)])) -> linear(out: 2)\n")
        }
        let ok = try NascProcess.run(["compile", try space(100_000), "-o", dir.appendingPathComponent("v.pb").path])
        #expect(ok.code == 0, "\(ok.stderr)")
        let over = try NascProcess.run(["compile", try space(100_001), "-o", dir.appendingPathComponent("v.pb").path])
        #expect(over.code == 1)
        #expect(over.stderr.contains("error: choice has 100001 values, more than the limit of 100000 values per choice"), "\(over.stderr)")
        // inspect bounds its cost sampling by the space's size, and still answers.
        let inspect = try NascProcess.run(["inspect", try space(100_000)])
        #expect(inspect.code == 0 && inspect.stdout.contains("space size: 100000 architectures"), "\(inspect.stderr)")
    }

    @Test func aFixedRepeatIsNoDecision() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "rep.nas", """
            input x: [1, 8, 8]
            h = x -> repeat(depth: 2) { conv2d(out: 2, kernel: 3, padding: 1) }
            h = h -> repeat("labelled", depth: 1) { relu }
            return h -> flatten -> linear(out: 2)
            """)
        let r = try NascProcess.run(["inspect", space])
        #expect(r.code == 0 && r.stdout.contains("decisions: 0"), "\(r.stdout)\(r.stderr)")
        // So no architecture file is needed to compile or train it.
        let plan = try NascProcess.run(["compile", space, "--plan", "-o", dir.appendingPathComponent("p.pb").path])
        #expect(plan.code == 0, "\(plan.stderr)")
    }

    @Test func smallDiagnosticsNameTheRealCause() throws {
        let dir = try NascProcess.tempDir()
        // An empty candidate list.
        let empty = try NascProcess.run(["inspect", try write(dir, "e.nas", "input x: [1, 8, 8]\nreturn input_choice([])\n")])
        #expect(empty.code == 1 && empty.stderr.hasPrefix("\(dir.path)/e.nas:2:21: error: input_choice needs at least one candidate tensor"),
                "\(empty.stderr)")
        // A number bound before the input that uses it.
        let bound = try NascProcess.run(["inspect", try write(dir, "b.nas", "n = 8\ninput x: [1, n, n]\nreturn x -> flatten -> linear(out: 2)\n")])
        #expect(bound.code == 0 && bound.stdout.contains("%x: f32[N,1,8,8]"), "\(bound.stderr)")
        // An architecture that is a JSON array.
        let space = try write(dir, "c.nas", "input x: [4]\nreturn x -> linear(out: 2)\n")
        let arch = try write(dir, "arch.json", "[1]\n")
        let array = try NascProcess.run(["compile", space, "--arch", arch, "-o", dir.appendingPathComponent("p.pb").path])
        #expect(array.code == 1 && array.stderr == "\(arch):1:1: error: an architecture must be a JSON object {label: value}, got an array\n",
                "\(array.stderr)")
        // A validation split that leaves nothing to train on suggests --validation 0.
        let csv = try tinyCSV(dir)
        let t = try write(dir, "t.nas", "input x: [2]\nreturn x -> linear(out: 2)\n")
        let split = try NascProcess.run(["train", t, "--data", "csv:\(csv)?target=label", "--epochs", "1"])
        #expect(split.code == 1 && split.stderr.contains("give --validation 0"), "\(split.stderr)")
        // A 200 KB line is cut around the caret.
        let long = String(repeating: " ", count: 200_000)
        let wide = try NascProcess.run(["inspect", try write(dir, "w.nas", "input x: [4]\nreturn x ->\(long) frobnicate\n")])
        #expect(wide.code == 1 && wide.stderr.count < 2_000 && wide.stderr.contains("^"), "\(wide.stderr.count) bytes")
    }

    /// A copied binary, run outside the repository, still finds `--data digits` (compiled into it).
    @Test func aCopiedBinaryFindsTheBundledDigits() throws {
        let dir = try NascProcess.tempDir()
        let copy = dir.appendingPathComponent("nasc").path
        try FileManager.default.copyItem(atPath: NascProcess.binary, toPath: copy)
        let space = try write(dir, "d.nas", "input x: [1, 8, 8]\nreturn x -> flatten -> linear(out: 10)\n")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: copy)
        p.arguments = ["train", space, "--data", "digits", "--epochs", "1", "--json"]
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(e)")
        #expect(o.contains("\"test_accuracy\""), "\(o)")
    }

    /// What compile rejects, inspect rejects too (inspect runs compile's default pipeline first).
    @Test func inspectAndCompileAgree() throws {
        let dir = try NascProcess.tempDir()
        // A text-IR space that parses but fails verification in the default pipeline (an unknown graph).
        let space = try write(dir, "bad.nir", """
            space "s" version 1 root @main
            graph @main(%x: f32[N,4]) {
              %y = call(%x) {graph = @nowhere}
              return %y
            }
            """)
        let compile = try NascProcess.run(["compile", space, "-o", dir.appendingPathComponent("o.pb").path])
        let inspect = try NascProcess.run(["inspect", space])
        #expect(compile.code == 1)
        #expect(inspect.code == compile.code, "compile: \(compile.stderr) inspect: \(inspect.stdout)\(inspect.stderr)")
    }
}
