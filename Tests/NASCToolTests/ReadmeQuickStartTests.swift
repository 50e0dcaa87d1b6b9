// ReadmeQuickStartTests: every command of the README's quick start runs as written (with the debug `nasc` first on
// PATH, in a scratch directory that links the repository's examples), in order, and succeeds.
import Foundation
import Testing

@Suite(.serialized) struct ReadmeQuickStartTests {
    /// The command lines (those starting with one of `prefixes`) of the code block between `<!-- marker ... -->`
    /// and `<!-- /marker -->` in README.md.
    func block(_ marker: String, prefixes: [String] = ["nasc "]) throws -> [String] {
        let readme = try String(contentsOf: NascProcess.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- \(marker)"))
        let end = try #require(readme.range(of: "<!-- /\(marker) -->", range: start.upperBound..<readme.endIndex))
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
            .filter { line in prefixes.contains { line.hasPrefix($0) } }
    }

    /// A scratch directory that links the repository's examples.
    func scratch() throws -> URL {
        let dir = try NascProcess.tempDir()
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("examples"), withDestinationURL: NascProcess.root.appendingPathComponent("examples"))
        return dir
    }

    /// Runs `line` with `/bin/sh -c` in `dir` with the debug `nasc` first on PATH: exit status, stdout, stderr.
    func shell(_ line: String, in dir: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let bin = URL(fileURLWithPath: NascProcess.binary).deletingLastPathComponent().path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func quickStartCommandsWorkAsWritten() throws {
        let lines = try block("quickstart") + block("quickstart-watch")
        #expect(lines.count == 6)
        #expect(lines.map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ==
                ["nasc run --strategy", "nasc experiment list", "nasc experiment top-k", "nasc experiment export", "nasc train examples/digits.nas",
                 "nasc experiment report"])
        let dir = try scratch()
        for line in lines {
            let (status, o, e) = try shell(line, in: dir)
            #expect(status == 0, "\(line): \(e)")
            if line.hasPrefix("nasc train") {
                #expect(o.contains("test accuracy") || e.contains("epoch 5"), "\(o)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/quick/report.html").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/quick/tensorboard/experiment").path))
    }

    /// README's search -> export -> onnxruntime block: a search keeping weights, the best trial's model, a longer
    /// training and its export, and onnxruntime running the exported file.
    @Test func exportQuickStartWorksAsWritten() throws {
        let lines = try block("export-quickstart", prefixes: ["nasc ", "python3 "])
        #expect(lines.count == 5)
        let dir = try scratch()
        var last = ""
        for line in lines {
            let (status, o, e) = try shell(line, in: dir)
            #expect(status == 0, "\(line): \(e)")
            last = o
        }
        let best = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("runs/x/best").path)) ?? []
        #expect(best.contains { $0.hasPrefix("trial_") && $0.hasSuffix(".onnx") }, "\(best)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.onnx").path))
        // onnxruntime printed the predicted classes of the two samples, e.g. `[3 3]`.
        #expect(last.wholeMatch(of: /\[\d \d\]\n/) != nil, "\(last)")
    }
}
