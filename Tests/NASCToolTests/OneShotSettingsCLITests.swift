// OneShotSettingsCLITests: one-shot `nasc run` keeps each strategy's own weight-training defaults unless a flag is given,
// prints the effective settings in one line, stores them in DIR/settings.json, logs SPOS's evolution per generation,
// and rejects trial-only training flags.
import Foundation
import Testing

@Suite(.serialized) struct OneShotSettingsCLITests {
    func settings(_ dir: String) throws -> (values: [String: Any], given: [String]) {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/settings.json"))) as? [String: Any])
        return (try #require(obj["settings"] as? [String: Any]), try #require(obj["given"] as? [String]))
    }

    @Test func strategyDefaultsApplyUnlessAFlagIsGiven() throws {
        let (dir, space) = try OneShotCLITests().setup()
        let data = ["--data", "synthetic?count=64&test=16", "--train-epochs", "1", "--strategy-option", "max_batches=2"]
        // DARTS without --lr: its own weight lr 0.025 and weight decay 3e-4 (not --lr's 0.05).
        let d = dir.appendingPathComponent("d").path
        let r = try NascProcess.run(["run", "--strategy", "darts", space, "-o", d] + data)
        #expect(r.code == 0, "\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("settings: darts") })
        #expect(line.contains("lr 0.025,") && line.contains("weight_decay 0.0003") && line.contains("epochs 1,"), "\(line)")
        #expect(line.contains("given: epochs, max_batches"), "\(line)")
        let (dv, dg) = try settings(d)
        #expect(dv["lr"] as? Double == 0.025 && dv["batch_size"] as? Int == 64 && dv["arch_lr"] as? Double == 3e-4)
        #expect(dg == ["epochs", "max_batches"])
        // --lr given: it wins.
        let d2 = dir.appendingPathComponent("d2").path
        let r2 = try NascProcess.run(["run", "--strategy", "darts", space, "-o", d2, "--lr", "0.1", "--batch-size", "16"] + data)
        #expect(r2.code == 0, "\(r2.stderr)")
        let (dv2, dg2) = try settings(d2)
        #expect(dv2["lr"] as? Double == 0.1 && dv2["batch_size"] as? Int == 16)
        #expect(dg2 == ["batch_size", "epochs", "lr", "max_batches"])
        // SPOS: its defaults (lr 0.05, cosine schedule) and options; the evolution is logged per generation.
        let s = dir.appendingPathComponent("s").path
        let r3 = try NascProcess.run(["run", "--strategy", "spos", space, "-o", s, "--strategy-option", "schedule=constant",
                                      "--strategy-option", "population=3", "--strategy-option", "generations=2"] + data)
        #expect(r3.code == 0, "\(r3.stderr)")
        let (sv, sg) = try settings(s)
        #expect(sv["lr"] as? Double == 0.05 && sv["schedule"] as? String == "constant" && sv["fair"] as? Bool == true)
        #expect(sg.contains("schedule") && !sg.contains("lr"))
        let lines = try String(contentsOfFile: s + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n")
        let generations = try lines.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["stage"] as? String == "evolution" }
        #expect(generations.map { $0["generation"] as? Int } == [0, 1, 2])
        #expect(r3.stdout.contains("generation 2: best "))
    }

    @Test func trialOnlyTrainingFlagsAreUsageErrors() throws {
        let (dir, space) = try OneShotCLITests().setup()
        let out = dir.appendingPathComponent("e").path
        for flag in [["--optimizer", "adam"], ["--schedule", "step"]] {
            let r = try NascProcess.run(["run", "--strategy", "spos", space, "-o", out, "--data", "synthetic?count=64"] + flag)
            #expect(r.code == 2 && r.stderr.contains("do not apply"), "\(flag): \(r.stderr)")
        }
        let bad = try NascProcess.run(["run", "--strategy", "enas", space, "-o", out, "--data", "synthetic?count=64",
                                       "--strategy-option", "reward_bn=maybe"])
        #expect(bad.code == 1 && bad.stderr.contains("reward_bn must be batch or running"), "\(bad.stderr)")
        let sched = try NascProcess.run(["run", "--strategy", "spos", space, "-o", out, "--data", "synthetic?count=64",
                                         "--strategy-option", "schedule=linear"])
        #expect(sched.code == 1 && sched.stderr.contains("schedule must be cosine or constant"), "\(sched.stderr)")
        let paths = try NascProcess.run(["run", "--strategy", "proxyless", space, "-o", out, "--data", "synthetic?count=64",
                                         "--strategy-option", "paths_per_batch=0"])
        #expect(paths.code == 1 && paths.stderr.contains("paths_per_batch must be at least 1"), "\(paths.stderr)")
    }
}
