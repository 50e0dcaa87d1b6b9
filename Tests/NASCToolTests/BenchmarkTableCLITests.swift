// BenchmarkTableCLITests: `nasc run --benchmark table:PATH` (test column in top-k), bad tables, and `nasc compare`.
import Foundation
import Testing

@Suite struct BenchmarkTableCLITests {
    /// 3 activations x 3 widths = 9 architectures.
    static let space = """
    space "t" version 1 root @main
    value_choice "width" [4, 8, 16]
    graph @main(%x: f32[N,4]) {
      %a = layer_choice(%x) {label = "act", candidates = [relu = @r, tanh = @t, sig = @s]}
      %h = linear(%a) {out = $width}
      %o = linear(%h) {out = 2}
      return %o
    }
    graph @r(%x: f32[N,4]) {
      %y = relu(%x)
      return %y
    }
    graph @t(%x: f32[N,4]) {
      %y = tanh(%x)
      return %y
    }
    graph @s(%x: f32[N,4]) {
      %y = sigmoid(%x)
      return %y
    }
    """

    /// The table lines: relu/16 has the best metric, tanh/16 the best test.
    static var lines: [String] {
        ["relu", "tanh", "sig"].enumerated().flatMap { i, act in [4, 8, 16].enumerated().map { j, w in
            let metric = 0.5 + 0.1 * Double(j) - 0.05 * Double(i)
            let test = act == "tanh" && w == 16 ? 0.9 : metric - 0.02
            return #"{"arch": {"act": "\#(act)", "width": \#(w)}, "metric": \#(metric), "test": \#(test), "curve": [0.2, \#(metric)]}"#
        } }
    }

    func files(_ lines: [String]) throws -> (space: String, table: String) {
        let dir = try NascProcess.tempDir()
        let space = dir.appendingPathComponent("t.nir").path, table = dir.appendingPathComponent("t.jsonl").path
        try Self.space.write(toFile: space, atomically: true, encoding: .utf8)
        try (lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        return (space, table)
    }

    @Test func runOnATableShowsTheCurveAndTheTestColumn() throws {
        let (space, table) = try files(Self.lines)
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "grid", space, dir, "--benchmark", "table:" + table, "--max-trials", "9", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 9 trials, 9 succeeded"))
        let top = try NascProcess.run(["experiment", "top-k", dir, "-k", "2"])
        let rows = top.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first?.prefix(5) == ["rank", "id", "metric", "val_loss", "test"], "\(top.stdout)")
        #expect(rows.dropFirst().first?[2] == "0.7000" && rows.dropFirst().first?[4] == "0.6800", "\(top.stdout)")
        let show = try NascProcess.run(["experiment", "show", dir, "1"])
        #expect(show.stdout.contains("intermediate: epoch 1 0.2000, epoch 2 "), "\(show.stdout)")
        #expect(show.stdout.contains("test (benchmark table, not seen by the strategy): "))
        // The HTML report names the best trial's held-out test value too.
        let html = try NascProcess.tempDir().appendingPathComponent("r.html").path
        let report = try NascProcess.run(["experiment", "report", dir, "-o", html])
        #expect(report.code == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: html, encoding: .utf8).contains("metric 0.7000, test 0.6800"))
    }

    @Test func badTablesFailOnOneLocatedLine() throws {
        var lines = Self.lines
        lines[3] = "not json"
        let (space, table) = try files(lines)
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", space, dir, "--benchmark", "table:" + table, "--max-trials", "3", "--no-live"])
        #expect(r.code == 1)
        #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines) == "\(table):4:1: error: not JSON: not json", "\(r.stderr)")
        let (space2, short) = try files(Array(Self.lines.prefix(8)))
        let c = try NascProcess.run(["compare", space2, "--benchmark", "table:" + short, "--seeds", "2"])
        #expect(c.code == 1 && c.stderr.contains("\(short):8:1: error: 1 of the space's 9 architectures is missing from the table: "), "\(c.stderr)")
        #expect(c.stderr.split(separator: "\n").count == 1)
    }

    @Test func compareReportsRegretPerBudgetWithTheExactRandomBaseline() throws {
        let (space, table) = try files(Self.lines)
        let r = try NascProcess.run(["compare", space, "--benchmark", "table:" + table, "--strategies", "random,tpe,evolution",
                                     "--budgets", "3,9", "--seeds", "5", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["architectures"] as? Int == 9 && doc["best_test"] as? Double == 0.9)
        let rows = try #require(doc["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["budget"]!) \($0["strategy"]!)" } == ["3 random (exact)", "3 random", "3 tpe", "3 evolution",
                                                                        "9 random (exact)", "9 random", "9 tpe", "9 evolution"])
        // With the whole space tried, every strategy picks relu/16 (best metric): regret 0.9 - 0.68.
        for row in rows where row["budget"] as? Int == 9 {
            #expect(abs((row["mean_regret"] as? Double ?? -1) - 0.22) < 1e-9, "\(row)")
        }
        let text = try NascProcess.run(["compare", space, "--benchmark", "table:" + table, "--budgets", "3", "--seeds", "3"])
        #expect(text.code == 0 && text.stdout.contains("random (exact)") && text.stdout.contains("95% interval"), "\(text.stderr)")
        // Usage errors name the flag.
        let bad = try NascProcess.run(["compare", space, "--benchmark", "table:" + table, "--budgets", "3,x"])
        #expect(bad.code == 2 && bad.stderr.contains("--budgets"))
        let unknown = try NascProcess.run(["compare", space, "--benchmark", "table:" + table, "--strategies", "random,tpee"])
        #expect(unknown.code == 1 && unknown.stderr.contains("unknown strategy 'tpee'"), "\(unknown.stderr)")
    }
}

/// `nasc run --early-stop` on a table with curves: stopped trials are results, recorded with the epoch they reached.
@Suite struct EarlyStopCLITests {
    /// 9 architectures with 3-epoch curves; epoch-1 values all distinct.
    static var lines: [String] {
        ["relu", "tanh", "sig"].enumerated().flatMap { i, act in [4, 8, 16].enumerated().map { j, w in
            let k = 3 * i + j
            let first = Double((k * 5) % 9) / 10 + 0.05
            return #"{"arch": {"act": "\#(act)", "width": \#(w)}, "metric": \#(first + 0.2), "curve": [\#(first), \#(first + 0.1), \#(first + 0.2)]}"#
        } }
    }

    func trials(_ dir: String) throws -> [[String: Any]] {
        let list = try NascProcess.run(["experiment", "list", dir, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        return try #require(doc["trials"] as? [[String: Any]])
    }

    @Test func ashaStopsTrialsBelowTheRungMedianAndCountsThem() throws {
        let dir0 = try NascProcess.tempDir()
        let space = dir0.appendingPathComponent("t.nir").path, table = dir0.appendingPathComponent("t.jsonl").path
        try BenchmarkTableCLITests.space.write(toFile: space, atomically: true, encoding: .utf8)
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let dir = dir0.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", "--seed", "4", space, dir, "--benchmark", "table:" + table,
                                     "--max-trials", "9", "--early-stop", "asha", "--early-stop-option", "reduction_factor=2",
                                     "--early-stop-option", "max_epochs=2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        let rows = try trials(dir)
        #expect(rows.count == 9)
        // One rung (epoch 1, below max_epochs 2), reduction factor 2: a trial stops when its epoch-1 metric is below
        // the median (numpy percentile 50) of the epoch-1 metrics of the trials before it. Trials run one at a time.
        var firsts: [Double] = [], stopped = 0, epochs = 0
        for t in rows {
            let status = try #require(t["status"] as? String), count = try #require(t["epochs"] as? Int)
            let metric = try #require(t["metric"] as? Double)
            let first = status == "stopped" ? metric : metric - 0.2
            let s = firsts.sorted()
            let median = s.isEmpty ? nil : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
            let expectStop = median.map { first < $0 - 1e-12 } ?? false
            #expect((status == "stopped") == expectStop, "trial \(t["id"]!): \(status), epoch-1 \(first), median \(median ?? -1)")
            #expect(count == (expectStop ? 1 : 3))
            #expect((t["stopped_epoch"] as? Int) == (expectStop ? 1 : nil))
            if expectStop { stopped += 1 }
            epochs += count
            firsts.append(first)
        }
        #expect(stopped > 0 && stopped < 9)
        #expect(r.stdout.contains("9 succeeded (\(stopped) stopped early; \(epochs) epochs run)"), "\(r.stdout)")
        let id = try #require(rows.first { $0["status"] as? String == "stopped" }?["id"] as? Int)
        let show = try NascProcess.run(["experiment", "show", dir, String(id)])
        #expect(show.stdout.contains("stopped early at epoch 1"), "\(show.stdout)")
        let list = try NascProcess.run(["experiment", "list", dir])
        #expect(list.stdout.contains("early stop asha (grace=1 max_epochs=2 reduction_factor=2)"), "\(list.stdout)")
        // Bad rules and options are usage errors or located at --early-stop.
        let bad = try NascProcess.run(["run", space, dir0.appendingPathComponent("e2").path, "--benchmark", "table:" + table,
                                       "--early-stop", "hyperband"])
        #expect(bad.code == 1 && bad.stderr.contains("--early-stop: error: unknown rule 'hyperband' (median or asha)"), "\(bad.stderr)")
        let orphan = try NascProcess.run(["run", space, dir0.appendingPathComponent("e3").path, "--benchmark", "table:" + table,
                                          "--early-stop-option", "grace=2"])
        #expect(orphan.code == 2 && orphan.stderr.contains("--early-stop-option needs --early-stop"))
    }

    @Test func medianRuleStopsTrialsBelowCompletedOnes() throws {
        let dir0 = try NascProcess.tempDir()
        let space = dir0.appendingPathComponent("t.nir").path, table = dir0.appendingPathComponent("t.jsonl").path
        try BenchmarkTableCLITests.space.write(toFile: space, atomically: true, encoding: .utf8)
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: table, atomically: true, encoding: .utf8)
        let dir = dir0.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", "--seed", "4", space, dir, "--benchmark", "table:" + table,
                                     "--max-trials", "9", "--early-stop", "median", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        let rows = try trials(dir)
        // The first trial always completes; a stopped one reached fewer epochs than the curve's 3.
        #expect(rows.first?["status"] as? String == "succeeded")
        let stopped = rows.filter { $0["status"] as? String == "stopped" }
        #expect(!stopped.isEmpty && stopped.allSatisfy { ($0["epochs"] as? Int ?? 3) < 3 }, "\(rows)")
    }
}
