// ExperimentCLITests: `nasc run`, `nasc trial` and `nasc experiment` as processes — limits, faults, kill -9 and resume.
import Foundation
import Testing

/// One row of `nasc experiment list`.
struct ListedTrial: Equatable {
    var id: Int, status: String, metric: String, tries: Int, error: String
}

/// Parses the rows of `nasc experiment list` (after the header lines).
func listedTrials(_ text: String) -> [ListedTrial] {
    var out: [ListedTrial] = []
    for line in text.split(separator: "\n") {
        let cols = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard cols.count >= 7, let id = Int(cols[0]), let tries = Int(cols[6]) else { continue }
        out.append(ListedTrial(id: id, status: cols[1], metric: cols[2], tries: tries, error: cols.dropFirst(7).joined(separator: " ")))
    }
    return out
}

@Suite(.serialized) struct ExperimentCLITests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path

    @Test func runListShowTopKExport() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", "--seed", "3", mlp, "-o", dir, "--benchmark", "synthetic:5",
                                     "--max-trials", "5", "--concurrency", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 5 trials, 5 succeeded, 0 failed"))
        #expect(r.stdout.contains("trial 1 started") && r.stdout.contains("trial 1 epoch 1: "))
        let best = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("best: trial ") })

        let list = try NascProcess.run(["experiment", "list", dir])
        #expect(list.code == 0)
        let rows = listedTrials(list.stdout)
        #expect(rows.map(\.id) == [1, 2, 3, 4, 5] && rows.allSatisfy { $0.status == "succeeded" && $0.tries == 1 })
        #expect(list.stdout.contains("mean per-trial overhead: "))

        let show = try NascProcess.run(["experiment", "show", dir, "2"])
        #expect(show.code == 0)
        #expect(show.stdout.contains("overhead: process start ") && show.stdout.contains(" ms, total "))
        #expect(show.stdout.contains("intermediate: epoch 1 ") && show.stdout.contains("epoch 3 "))
        #expect(show.stdout.contains("\"activation\": "))

        let top = try NascProcess.run(["experiment", "top-k", dir, "-k", "2"])
        let topRows = top.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(topRows.count == 2)
        let bestMetric = rows.map(\.metric).max()!
        #expect(topRows.first.map { String($0[2]) } == bestMetric)
        #expect(best.hasSuffix("metric \(bestMetric)"))

        let out = try NascProcess.tempDir().path
        let export = try NascProcess.run(["experiment", "export", dir, "-k", "2", "-o", out])
        #expect(export.code == 0, "\(export.stderr)")
        let files = export.stdout.split(separator: "\n").map(String.init)
        #expect(files.count == 4 && files.filter { $0.hasSuffix(".nni-v1.json") }.count == 2)
        for f in files {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f))) as? [String: Any]
            #expect(Set(json?.keys.map { $0 } ?? []) == ["activation", "depth", "width"])
        }
    }

    @Test func killDashNineThenResumeLosesAndRepeatsNothing() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let log = try NascProcess.tempDir().appendingPathComponent("run.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NascProcess.binary)
        p.arguments = ["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:2", "--max-trials", "10",
                       "--concurrency", "2", "--epoch-ms", "120", "--no-live"]
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until some trials finished, then kill the runner without warning.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.components(separatedBy: " succeeded: ").count - 1 >= 3 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Trials of one batch finish together, so wait until the store shows one in flight (the retry path), then kill.
        while Date() < deadline {
            let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
            if rows.contains(where: { $0.status == "running" }) || rows.count >= 10 { break }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        let before = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        let finishedBefore = before.filter { $0.status == "succeeded" }
        #expect(finishedBefore.count >= 3)
        #expect(before.count < 10, "the run finished before it was killed")
        #expect(before.contains { $0.status == "running" || $0.status == "queued" })

        let resumed = try NascProcess.run(["run", "--resume", dir, "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming: \(finishedBefore.count) finished trials kept"))
        #expect(resumed.stdout.contains("finished (max-trials): 10 trials, 10 succeeded, 0 failed"))
        let after = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(after.map(\.id) == Array(1...10))
        #expect(after.allSatisfy { $0.status == "succeeded" })
        // Finished trials were kept as they were and not run again.
        for t in finishedBefore { #expect(after.first { $0.id == t.id } == t) }
        // Interrupted trials were retried; nothing else ran twice.
        for t in before where t.status == "running" { #expect(after[t.id - 1].tries == 2) }
        #expect(after.filter { $0.tries > 1 }.count == before.filter { $0.status == "running" }.count)
        // The restored strategy continued its sequence: the same trials as an uninterrupted run with the same seed.
        let fresh = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, fresh, "--benchmark", "synthetic:2", "--max-trials", "10",
                                     "--concurrency", "3", "--no-live"])
        #expect(r.code == 0)
        #expect(listedTrials(try NascProcess.run(["experiment", "list", fresh]).stdout).map(\.metric) == after.map(\.metric))
    }

    @Test func crashingAndDivergingTrialsFailAlone() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "8",
                                     "--concurrency", "4", "--crash-every", "3", "--nan-every", "4", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 8 trials, 4 succeeded, 4 failed"))
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        for id in [3, 6] { #expect(rows[id - 1].error == "crashed: killed by signal 6 (SIGABRT)") }
        for id in [4, 8] { #expect(rows[id - 1].error == "diverged: loss is NaN at epoch 2 (injected divergence)") }
        for id in [1, 2, 5, 7] { #expect(rows[id - 1].status == "succeeded") }
        // The crashed trial's first epoch was recorded before it died.
        let show = try NascProcess.run(["experiment", "show", dir, "3"])
        #expect(show.stdout.contains("intermediate: epoch 1 "))
    }

    @Test func maxDurationKillsTrialsAndEndsCleanly() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let start = Date()
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--epoch-ms", "600000",
                                     "--concurrency", "2", "--max-duration", "2s", "--no-live"])
        let wall = Date().timeIntervalSince(start)
        #expect(r.code == 0, "\(r.stderr)")
        #expect(wall < 15, "took \(wall) s")
        // Cut-off trials are unfinished (queued for --resume), never final failures.
        #expect(r.stdout.contains("finished (max-duration): 2 trials, 0 succeeded, 0 failed, 2 unfinished (retried by --resume)"))
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(rows.count == 2 && rows.allSatisfy { $0.status == "queued" && $0.error == "interrupted: max-duration (2s) reached" })
    }

    @Test func nasAndCompiledSpaceBehaveTheSame() throws {
        let tmp = try NascProcess.tempDir()
        let pb = tmp.appendingPathComponent("mlp.pb").path
        #expect(try NascProcess.run(["compile", mlp, "-o", pb]).code == 0)
        var tables: [[ListedTrial]] = []
        for (i, space) in [mlp, pb].enumerated() {
            let dir = tmp.appendingPathComponent("e\(i)").path
            let r = try NascProcess.run(["run", "--strategy", "random", "--seed", "9", space, dir, "--benchmark", "synthetic:4",
                                         "--max-trials", "4", "--concurrency", "2", "--no-live"])
            #expect(r.code == 0, "\(r.stderr)")
            tables.append(listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout))
        }
        #expect(tables[0].count == 4 && tables[0] == tables[1])
        // A single trial on the compiled space works for any value of a choice, as on the .nas file.
        let arch = tmp.appendingPathComponent("a.json").path
        try #"{"activation": "gelu", "depth": 3, "width": 256}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let a = try NascProcess.run(["trial", mlp, arch, "--benchmark", "synthetic:4"])
        let b = try NascProcess.run(["trial", pb, arch, "--benchmark", "synthetic:4"])
        #expect(a.code == 0 && b.code == 0, "\(b.stdout)")
        #expect(a.stdout.split(separator: "\n").dropFirst() == b.stdout.split(separator: "\n").dropFirst())
    }

    @Test func budgetRejectsBeforeEvaluating() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "6",
                                     "--max-params", "20000", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        let rejected = rows.filter { $0.error.hasPrefix("outside the budget: ") }
        #expect(!rejected.isEmpty && rejected.allSatisfy { $0.tries == 1 && $0.error.hasSuffix("parameters > limit 20,000") })
        #expect(rows.filter { $0.status == "succeeded" }.count + rejected.count == 6)
    }

    @Test func trialPrintsJSONLines() throws {
        let tmp = try NascProcess.tempDir()
        let arch = tmp.appendingPathComponent("a.json").path
        try #"{"activation": "tanh", "depth": 2, "width": 64}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["trial", mlp, arch, "--benchmark", "synthetic:1", "--epochs", "2"])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].contains(#""type":"overhead""#) && lines[0].contains(#""params":"#))
        #expect(lines[1].hasPrefix(#"{"epoch":1,"metric":"#) && lines[1].hasSuffix(#""type":"intermediate"}"#))
        #expect(lines[3].contains(#""type":"final""#))

        try #"{"activation": "swish", "depth": 2, "width": 64}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let bad = try NascProcess.run(["trial", mlp, arch, "--benchmark", "synthetic:1"])
        #expect(bad.code == 1)
        #expect(bad.stdout.hasPrefix(#"{"kind":"input","message":"\#(arch):1:2: error: "#))
        #expect(bad.stderr == "\(arch):1:2: error: 'swish' is not a candidate of layer choice 'activation' (candidates: relu, tanh, gelu)\n")
    }

    @Test func missingAndCorruptExperimentsAreOneLineLocatedErrors() throws {
        let tmp = try NascProcess.tempDir()
        func expectError(_ args: [String], _ message: String, code: Int32 = 1) throws {
            let r = try NascProcess.run(args)
            #expect(r.code == code)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == message + "\n", "\(args)")
        }
        try expectError(["experiment", "list", "/nonexistent/exp"], "/nonexistent/exp: error: no such experiment directory")
        try expectError(["run", "--resume", tmp.path], "\(tmp.path): error: not an experiment directory (no experiment.sqlite)")
        let corrupt = tmp.appendingPathComponent("c")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 5000).write(to: corrupt.appendingPathComponent("experiment.sqlite"))
        for verb in [["experiment", "show", corrupt.path, "1"], ["run", "--resume", corrupt.path]] {
            try expectError(verb, "\(corrupt.path)/experiment.sqlite: error: not an experiment store (the file is not a valid SQLite database)")
        }
        let file = tmp.appendingPathComponent("f.txt")
        try "x".write(to: file, atomically: true, encoding: .utf8)
        try expectError(["experiment", "top-k", file.path], "\(file.path): error: not a directory")
        let r = try NascProcess.run(["run", "--strategy", "nope", mlp, tmp.appendingPathComponent("n").path, "--benchmark", "synthetic:1"])
        #expect(r.code == 1 && r.stderr.hasPrefix("--strategy: error: unknown strategy 'nope'") && r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: tmp.appendingPathComponent("n").path))
    }
}
