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
