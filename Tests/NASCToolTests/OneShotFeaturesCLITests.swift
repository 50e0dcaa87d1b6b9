// OneShotFeaturesCLITests: `nasc run` options of the Proxyless latency penalty (measured table written and re-read,
// bad tables and option combinations as one-line errors) and of hard GumbelDARTS.
import Foundation
import Testing

@Suite(.serialized) struct OneShotFeaturesCLITests {
    func setup() throws -> (URL, String) {
        let dir = try NascProcess.tempDir()
        let path = dir.appendingPathComponent("tiny8.nir").path
        try OneShotCLITests.space.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    func run(_ strategy: String, _ space: String, _ out: String, _ options: [String]) throws -> (code: Int32, stdout: String, stderr: String) {
        let r = try NascProcess.run(["run", "--strategy", strategy, space, "-o", out] + OneShotCLITests.data
                                    + (["max_batches=2"] + options).flatMap { ["--strategy-option", $0] })
        return (r.code, r.stdout, r.stderr)
    }

    @Test func measuredLatencyTableIsWrittenAndReusable() throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("m").path
        let r = try run("proxyless", space, out, ["latency_penalty=0.5", "latency_runs=2"])
        #expect(r.code == 0, "\(r.stderr)")
        let file = out + "/latency_table.json"
        let table = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: [String: Double]])
        #expect(Set(table.keys) == ["op", "in"])
        #expect(Set(table["op"]?.keys.map { $0 } ?? []) == ["conv3", "skip"] && (table["op"]?["conv3"] ?? 0) > 0)
        let log = try String(contentsOfFile: out + "/oneshot.jsonl", encoding: .utf8)
        #expect(log.contains("\"expected_latency_ms\""))
        // The written table is a valid input.
        let again = try run("proxyless", space, dir.appendingPathComponent("f").path, ["latency_penalty=0.5", "latency_table=\(file)", "latency_ref=2"])
        #expect(again.code == 0, "\(again.stderr)")
    }

    @Test func badLatencyOptionsAreOneLineErrors() throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("e").path
        let bad = dir.appendingPathComponent("bad.json").path
        try #"{"op": {"conv3": 1, "skip": 0}, "in": {"0": 0, "1": 0}, "oops": {}}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["latency_penalty=0.5", "latency_table=\(bad)"], "\(bad): error: latency table: unknown label 'oops'"),
            (["latency_penalty=0.5", "latency_table=\(dir.path)/missing.json"], "missing.json: error: cannot read the latency table"),
            (["latency_table=measure"], "--strategy-option: error: latency_table needs latency_penalty > 0"),
            (["latency_ref=3"], "latency_ref needs latency_penalty > 0"),
            (["latency_penalty=-1"], "latency_penalty must be a non-negative number"),
            (["latency_penalty=1", "latency_ref=0"], "latency_ref must be positive"),
            (["latency_penalty=1", "latency_runs=0"], "latency_runs must be at least 1"),
        ]
        for (options, message) in cases {
            let r = try run("proxyless", space, out, options)
            #expect(r.code == 1 && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(options): \(r.stderr)")
        }
    }

    @Test func hardGumbelOption() throws {
        let (dir, space) = try setup()
        let ok = try run("gumbel", space, dir.appendingPathComponent("g").path, ["hard=true"])
        #expect(ok.code == 0, "\(ok.stderr)")
        let bad = try run("gumbel", space, dir.appendingPathComponent("b").path, ["hard=maybe"])
        #expect(bad.code == 1 && bad.stderr.contains("hard must be true or false"), "\(bad.stderr)")
        let darts = try run("darts", space, dir.appendingPathComponent("d").path, ["hard=true"])
        #expect(darts.code == 1 && darts.stderr.contains("unknown strategy option hard"), "\(darts.stderr)")
    }
}
