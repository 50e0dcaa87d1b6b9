// HTMLReportTests: `nasc experiment report` pages for multi-trial and one-shot directories, loaded in real headless
// Chromium (Debian's `chromium`, installed by scripts/install-deps.sh): no console message at all, every section
// present, numbers matching the store; and the bad-input cases as one located line with exit 1.
import Foundation
import Testing

/// Loads a page in headless Chromium; returns the serialized DOM and the console lines Chromium logged.
func loadInChromium(_ path: String) throws -> (dom: String, console: [String]) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let profile = try NascProcess.tempDir().path
    p.arguments = ["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--user-data-dir=\(profile)",
                   "--enable-logging=stderr", "--v=0", "--dump-dom", URL(fileURLWithPath: path).absoluteString]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes concurrently so neither fills up.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !reader.isFinished { usleep(10_000) }
    #expect(p.terminationStatus == 0, "chromium exited with \(p.terminationStatus)")
    let console = String(decoding: errData, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") }
    return (String(decoding: o, as: UTF8.self), console)
}

@Suite(.serialized) struct HTMLReportTests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path

    @Test func consoleCheckCatchesABrokenPage() throws {
        // The detector must be able to fail: a page that tries the network logs a CSP violation.
        let dir = try NascProcess.tempDir()
        let page = dir.appendingPathComponent("bad.html").path
        try """
        <!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
        <body><img src="http://127.0.0.1:9/x.png"></body></html>
        """.write(toFile: page, atomically: true, encoding: .utf8)
        #expect(try loadInChromium(page).console.count >= 1)
    }

    @Test func multiTrialReportLoadsCleanlyWithEverySection() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let run = try NascProcess.run(["run", "--strategy", "random", "--seed", "11", mlp, "-o", dir, "--benchmark", "synthetic:3",
                                       "--max-trials", "12", "--no-live"])
        #expect(run.code == 0, "\(run.stderr)")
        let html = dir + "/report.html"
        let r = try NascProcess.run(["experiment", "report", dir, "-o", html])
        #expect(r.code == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("<script"), "self-contained, no network")
        let (dom, console) = try loadInChromium(html)
        #expect(console.isEmpty, "console: \(console)")
        for id in ["metric", "curves", "pareto", "importance", "best"] { #expect(dom.contains("<section id=\"\(id)\""), "\(id)") }
        // One dot per succeeded trial in the metric plot, with its tooltip.
        let list = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        for row in list { #expect(dom.contains("<title>trial \(row.id): \(row.metric)</title>"), "trial \(row.id)") }
        // Importance counts: every decision's counts add up to the succeeded trials.
        let importance = try #require(dom.range(of: "<section id=\"importance\"").map { String(dom[$0.lowerBound...]) })
        for label in ["activation", "depth", "width"] {
            let table = try #require(importance.range(of: "<caption>\(label)</caption>").map { String(importance[$0.upperBound...]) })
            let rows = table.components(separatedBy: "</table>")[0].components(separatedBy: "<tr")
            let counts = rows.dropFirst(2).compactMap { r -> Int? in
                let cells = r.components(separatedBy: "<td>").dropFirst().map { $0.components(separatedBy: "</td>")[0] }
                return cells.count >= 3 ? Int(cells[2]) : nil
            }
            #expect(counts.reduce(0, +) == list.count, "\(label): \(counts)")
        }
        #expect(dom.contains("Pareto front ("))
        #expect(dom.contains("aria-label=\"best architecture\""))
    }

    @Test func oneShotReportDrawsTheSupernetWithFinalProbabilities() throws {
        let (dir, space) = try OneShotCLITests().setup()
        let out = dir.appendingPathComponent("exp").path
        let run = try NascProcess.run(["run", "--strategy", "darts", space, "-o", out] + OneShotCLITests.data + ["--strategy-option", "max_batches=2"])
        #expect(run.code == 0, "\(run.stderr)")
        let html = out + "/report.html"
        let r = try NascProcess.run(["experiment", "report", out, "-o", html])
        #expect(r.code == 0, "\(r.stderr)")
        let (dom, console) = try loadInChromium(html)
        #expect(console.isEmpty, "console: \(console)")
        for id in ["curves", "supernet", "evolution", "importance", "best"] { #expect(dom.contains("<section id=\"\(id)\""), "\(id)") }
        let lines = try String(contentsOfFile: out + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n")
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        let probs = try #require(last["probabilities"] as? [String: [Double]])
        // Each candidate edge of the supernet carries its final probability.
        for (k, name) in ["conv3", "skip"].enumerated() {
            #expect(dom.contains("<title>op/\(name): \(String(format: "%.3f", probs["op"]![k]))</title>"), "op/\(name)")
        }
        for k in 0..<2 { #expect(dom.contains("<title>in/\(k): \(String(format: "%.3f", probs["in"]![k]))</title>"), "in/\(k)") }
    }

    @Test func badInputIsOneLocatedLine() throws {
        let tmp = try NascProcess.tempDir()
        func expectError(_ args: [String], _ message: String) throws {
            let r = try NascProcess.run(args)
            #expect(r.code == 1, "\(args): \(r.code)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == message + "\n", "\(args): \(r.stderr)")
        }
        try expectError(["experiment", "report", tmp.path, "-o", tmp.appendingPathComponent("r.html").path],
                        "\(tmp.path): error: not an experiment directory (no experiment.sqlite or oneshot.jsonl)")
        let dir = tmp.appendingPathComponent("exp").path
        let run = try NascProcess.run(["run", "--strategy", "random", mlp, "-o", dir, "--benchmark", "synthetic:1", "--max-trials", "2", "--no-live"])
        #expect(run.code == 0)
        let unwritable = try NascProcess.run(["experiment", "report", dir, "-o", "/nonexistent/dir/r.html"])
        #expect(unwritable.code == 1 && unwritable.stdout.isEmpty)
        #expect(unwritable.stderr.hasPrefix("/nonexistent/dir/r.html: error: cannot write file") && unwritable.stderr.split(separator: "\n").count == 1,
                "\(unwritable.stderr)")
        // A store written by a newer nasc (a migration this build does not know).
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"INSERT INTO grdb_migrations VALUES ('v99-future')\"); c.commit()",
                            dir + "/experiment.sqlite"]
        try sqlite.run(); sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        try expectError(["experiment", "report", dir, "-o", tmp.appendingPathComponent("r.html").path],
                        "\(dir)/experiment.sqlite: error: the store was written by a newer nasc (unknown schema v99-future)")
    }
}
