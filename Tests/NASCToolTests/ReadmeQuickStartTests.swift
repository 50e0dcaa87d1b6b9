// ReadmeQuickStartTests: every command of the README's quick start runs as written (with the debug `nasc` first on
// PATH, in a scratch directory that links the repository's examples), in order, and succeeds.
import Foundation
import Testing

@Suite(.serialized) struct ReadmeQuickStartTests {
    /// The lines of the code block between `<!-- marker ... -->` and `<!-- /marker -->` in README.md.
    func block(_ marker: String) throws -> [String] {
        let readme = try String(contentsOf: NascProcess.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- \(marker)"))
        let end = try #require(readme.range(of: "<!-- /\(marker) -->", range: start.upperBound..<readme.endIndex))
        return readme[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("nasc ") }
    }

    @Test func quickStartCommandsWorkAsWritten() throws {
        let lines = try block("quickstart") + block("quickstart-watch")
        #expect(lines.count == 6)
        #expect(lines.map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ==
                ["nasc run --strategy", "nasc experiment list", "nasc experiment top-k", "nasc experiment export", "nasc train examples/digits.nas",
                 "nasc experiment report"])
        let dir = try NascProcess.tempDir()
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("examples"), withDestinationURL: NascProcess.root.appendingPathComponent("examples"))
        let bin = URL(fileURLWithPath: NascProcess.binary).deletingLastPathComponent().path
        for line in lines {
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
            #expect(p.terminationStatus == 0, "\(line): \(String(decoding: e, as: UTF8.self))")
            if line.hasPrefix("nasc train") {
                #expect(String(decoding: o, as: UTF8.self).contains("test accuracy") || String(decoding: e, as: UTF8.self).contains("epoch 5"),
                        "\(String(decoding: o, as: UTF8.self))")
            }
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/quick/report.html").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs/quick/tensorboard/experiment").path))
    }
}
