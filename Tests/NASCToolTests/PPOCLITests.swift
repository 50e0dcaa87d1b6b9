// PPOCLITests: `nasc run --strategy rl --strategy-option algorithm=ppo` — settings.json, bad options, kill -9 and resume.
import Foundation
import Testing

@Suite(.serialized) struct PPOCLITests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path
    let ppo = ["--strategy", "rl", "--strategy-option", "algorithm=ppo", "--strategy-option", "batch_size=3",
               "--strategy-option", "eps_clip=0.3"]

    @Test func settingsJSONHoldsTheEffectiveSettings() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run"] + ppo + [mlp, dir, "--benchmark", "synthetic:2", "--max-trials", "4", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir).appendingPathComponent("settings.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["strategy"] as? String == "rl")
        let settings = try #require(json["settings"] as? [String: Any])
        #expect(settings["algorithm"] as? String == "ppo")
        #expect((settings["eps_clip"] as? NSNumber)?.doubleValue == 0.3)
        #expect((settings["batch_size"] as? NSNumber)?.intValue == 3)
        // Defaults are filled in: NNI's / tianshou's PPO settings and nasc's learning rate.
        #expect((settings["epochs"] as? NSNumber)?.intValue == 5)
        #expect((settings["gae_lambda"] as? NSNumber)?.doubleValue == 0.95)
        #expect((settings["ent_coef"] as? NSNumber)?.doubleValue == 0.01)
        #expect((settings["lr"] as? NSNumber)?.doubleValue == 0.01)
        #expect(settings["baseline_decay"] == nil)
        #expect(Set(json["given"] as? [String] ?? []) == ["algorithm", "batch_size", "eps_clip"])
    }

    @Test func outOfRangeOptionsAreOneLineAndExitOne() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        for (option, message) in [
            ("eps_clip=0", "option 'eps_clip' of strategy 'rl' must be a number in [1e-06, 10.0], got '0'"),
            ("epochs=0", "option 'epochs' of strategy 'rl' must be an integer in [1, 1000], got '0'"),
            ("gae_lambda=2", "option 'gae_lambda' of strategy 'rl' must be a number in [0.0, 1.0], got '2'"),
            ("vf_coef=-1", "option 'vf_coef' of strategy 'rl' must be a number in [0.0, 1000.0], got '-1'"),
            ("baseline_decay=0.5", "option 'baseline_decay' of strategy 'rl' applies to algorithm=reinforce only"),
        ] {
            let r = try NascProcess.run(["run", "--strategy", "rl", "--strategy-option", "algorithm=ppo", "--strategy-option", option,
                                         mlp, dir, "--benchmark", "synthetic:2", "--max-trials", "4", "--no-live"])
            #expect(r.code == 1, "\(option): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].contains(message), "\(option): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir))
        }
    }

    /// Killed with SIGKILL after a policy update, resumed: the experiment ends with the same trials, in the same order,
    /// as an uninterrupted run with the same seed (one trial at a time, so the order of results is fixed), which
    /// needs the PPO state (controller weights, Adam moments, value head, update buffer, RNG) restored exactly.
    @Test func killDashNineThenResumeContinuesThePolicy() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let log = try NascProcess.tempDir().appendingPathComponent("run.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let args = ["run"] + ppo + ["--seed", "5", mlp]
        let rest = ["--benchmark", "synthetic:2", "--max-trials", "12", "--concurrency", "1", "--epoch-ms", "100", "--no-live"]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NascProcess.binary)
        p.arguments = args + [dir] + rest
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.components(separatedBy: " succeeded: ").count - 1 >= 5 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        let before = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(before.filter { $0.status == "succeeded" }.count >= 5)
        #expect(before.count < 12, "the run finished before it was killed")

        let resumed = try NascProcess.run(["run", "--resume", dir, "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("finished (max-trials): 12 trials, 12 succeeded, 0 failed"))
        let after = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)

        let fresh = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(args + [fresh] + rest)
        #expect(r.code == 0, "\(r.stderr)")
        let uninterrupted = listedTrials(try NascProcess.run(["experiment", "list", fresh]).stdout)
        #expect(after.count == 12 && uninterrupted.count == 12)
        #expect(after.map(\.metric) == uninterrupted.map(\.metric))
        // Distinct metrics: the comparison is about which architectures were proposed.
        #expect(Set(uninterrupted.map(\.metric)).count >= 10)
    }
}
