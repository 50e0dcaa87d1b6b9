// ExperimentJSONCLITests: `--json` on `nasc experiment list|show|top-k`, `show` without an id, and the progress
// lines of `nasc run` (architecture in short form per started trial, ETA toward the limit).
import Foundation
import Testing

@Suite(.serialized) struct ExperimentJSONCLITests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path

    @Test func jsonListShowTopKAndShowBest() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let run = try NascProcess.run(["run", "--strategy", "random", "--seed", "2", mlp, "-o", dir, "--benchmark", "synthetic:3",
                                       "--max-trials", "6", "--no-live"])
        #expect(run.code == 0, "\(run.stderr)")
        // Progress: each started trial names its architecture; finished trials give an ETA toward max-trials.
        let started = run.stdout.split(separator: "\n").filter { $0.contains(" started pid ") }
        #expect(started.count == 6 && started.allSatisfy { $0.contains(": depth=") && $0.contains(" width=") && $0.contains(" activation=") }, "\(started)")
        // The ETA appears once the display has seen the limits (its first refresh, every quarter second).
        let withETA = run.stdout.split(separator: "\n").filter { $0.contains(" succeeded: ") && $0.contains(", ETA ") }
        #expect(withETA.count >= 3, "\(run.stdout)")

        let list = try NascProcess.run(["experiment", "list", dir, "--json"])
        #expect(list.code == 0, "\(list.stderr)")
        let l = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let trials = try #require(l["trials"] as? [[String: Any]])
        #expect(trials.count == 6 && trials.allSatisfy { $0["status"] as? String == "succeeded" && $0["epochs"] as? Int == 3 })
        #expect((l["experiment"] as? [String: Any])?["strategy"] as? String == "random")
        var metrics: [(Int, Double)] = []
        for trial in trials { if let id = trial["id"] as? Int, let m = trial["metric"] as? Double { metrics.append((id, m)) } }
        let sorted = metrics.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : a.0 < b.0 }
        let best = try #require(sorted.first)

        let top = try NascProcess.run(["experiment", "top-k", dir, "-k", "3", "--json"])
        let t = try #require(try JSONSerialization.jsonObject(with: Data(top.stdout.utf8)) as? [[String: Any]])
        #expect(t.map { $0["rank"] as? Int } == [1, 2, 3])
        #expect(t.first?["id"] as? Int == best.0)
        let topMetrics: [Double] = t.compactMap { $0["metric"] as? Double }
        #expect(topMetrics == sorted.prefix(3).map { $0.1 })

        let show = try NascProcess.run(["experiment", "show", dir, "--json"])
        let s = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(s["id"] as? Int == best.0)
        #expect((s["intermediate"] as? [[String: Any]])?.count == 3)
        #expect(s["architecture"] is [String: Any])
        let plain = try NascProcess.run(["experiment", "show", dir])
        #expect(plain.code == 0 && plain.stdout.hasPrefix("trial \(best.0): succeeded"), "\(plain.stdout)")
    }
}
