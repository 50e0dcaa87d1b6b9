// ExternalStrategyTests: `--strategy external` — the ask/tell protocol with a scripted strategy process and with the
// Optuna example, bad answers (one located line, consistent store), a crash, and resume once the command is fixed.
import Foundation
import NASCIR
import NASCStrategies
import Testing
@testable import NASCExperiment

/// A strategy process in Python: proposes the space's architectures in order (from the NNI search space it is
/// sent), remembers outcomes, and saves both as its state. `MODE` in the script selects a misbehaviour.
let scriptedStrategy = #"""
import itertools, json, sys
MODE = "%MODE%"
space = None; nxt = 0; told = []
def archs():
    labels = sorted(space)
    values = [space[l]["_value"] for l in labels]
    return [dict(zip(labels, combo)) for combo in itertools.product(*values)]
for line in sys.stdin:
    m = json.loads(line); t = m["type"]
    if t == "init":
        space = m["search_space"]; out = {"type": "ready"}
    elif t == "ask":
        if MODE == "garbage": print("Traceback (most recent call last): oops", flush=True); continue
        a = archs()
        props = []
        for _ in range(m["count"]):
            props.append(dict(a[nxt % len(a)])); nxt += 1
        if MODE == "unknown-label": props[0]["colour"] = "red"
        if MODE == "outside": props[0]["width"] = 12
        out = {"type": "propose", "architectures": props}
        if MODE == "exhaust" and nxt >= 2: out["exhausted"] = True
    elif t == "tell":
        if MODE == "crash" and len(told) == 2: sys.exit(3)
        told.append(("ok %s" % m["metric"]) if "metric" in m else ("fail %s" % m["failure"]["kind"]))
        out = {"type": "ok"}
    elif t == "save":
        out = {"type": "state", "state": json.dumps({"next": nxt, "told": told})}
    elif t == "restore":
        s = json.loads(m["state"]); nxt = s["next"]; told = s["told"]; out = {"type": "ok"}
    print(json.dumps(out), flush=True)
"""#

func writeStrategy(_ dir: String, mode: String) throws -> String {
    let path = dir + "/strategy.py"
    try scriptedStrategy.replacingOccurrences(of: "%MODE%", with: mode).write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func externalFactory(_ dir: String) -> StrategyFactory {
    { c, _, ss in
        var options = c.strategyOptions
        options["log"] = dir + "/strategy.log"
        options["timeout"] = "60"
        return try Strategies.make(name: "external", space: ss, seed: c.seed, options: options)
    }
}

/// A runner whose trials report 0.<id> and whose strategy is `python3 <script>`.
func externalRunner(_ dir: String, _ strategyScript: String, _ config: ExperimentConfig) throws -> ExperimentRunner {
    let exe = try fakeTrial(dir, goodTrial)
    var config = config
    config.strategy = "external"
    config.strategyOptions = ["command": "python3 \(strategyScript)"]
    let store = try ExperimentStore.create(directory: dir + "/exp", config: config, space: try Fixtures.space())
    return try ExperimentRunner(store: store, makeStrategy: externalFactory(dir), trialExecutable: exe)
}

struct ToldState: Decodable { var next: Int; var told: [String] }

@Suite struct ExternalStrategyTests {
    @Test func askTellSaveOverJSONLines() throws {
        let dir = try Fixtures.tempDir()
        let runner = try externalRunner(dir, try writeStrategy(dir, mode: "good"), Fixtures.config(maxTrials: 5, concurrency: 2))
        let summary = try runner.run()
        #expect(summary.endReason == "max-trials" && summary.succeeded == 5)
        let space = try SearchSpace(try Fixtures.space())
        let expected = try Array(space.allArchitectures()).prefix(5).map { try ArchitectureJSON.write($0, space: space) }
        #expect(try runner.store.trials().map(\.architectureJSON) == expected)
        // The checkpoint is the strategy's own state string, after every outcome.
        let state = try JSONDecoder().decode(ToldState.self, from: Data(try #require(try runner.store.latestCheckpoint())))
        #expect(state.next == 5 && state.told.sorted() == ["ok 0.1", "ok 0.2", "ok 0.3", "ok 0.4", "ok 0.5"])
    }

    @Test func anExhaustedStrategyEndsTheExperiment() throws {
        let dir = try Fixtures.tempDir()
        let runner = try externalRunner(dir, try writeStrategy(dir, mode: "exhaust"), Fixtures.config(maxTrials: 5))
        let summary = try runner.run()
        #expect(summary.endReason == "exhausted" && summary.total == 2 && summary.succeeded == 2)
    }

    @Test(arguments: [
        ("garbage", "the strategy's answer to 'ask' is not a JSON object: Traceback (most recent call last): oops"),
        ("unknown-label", "the strategy proposed an architecture outside the space (architecture 1 of 1): architecture has unknown label 'colour'"),
        ("outside", "the strategy proposed an architecture outside the space (architecture 1 of 1):"),
    ])
    func aBadAnswerIsOneLocatedLineAndTheStoreStaysConsistent(mode: String, message: String) throws {
        let dir = try Fixtures.tempDir()
        let runner = try externalRunner(dir, try writeStrategy(dir, mode: mode), Fixtures.config(maxTrials: 3))
        let e = #expect(throws: DiagnosticError.self) { _ = try runner.run() }
        let text = e?.description ?? ""
        #expect(text.hasPrefix("--strategy-command: error: \(message)"), "\(text)")
        #expect(!text.contains("\n"))
        #expect(try runner.store.trialCount() == 0)
    }

    @Test func aCrashingStrategyKeepsEveryResultAndResumeContinuesOnceFixed() throws {
        let dir = try Fixtures.tempDir()
        let script = try writeStrategy(dir, mode: "crash")
        let expDir: String
        do {
            let runner = try externalRunner(dir, script, Fixtures.config(maxTrials: 5))
            expDir = runner.store.directory
            let e = #expect(throws: DiagnosticError.self) { _ = try runner.run() }
            #expect(e?.description.hasPrefix("--strategy-command: error: the strategy process ended without answering 'tell' (exit status 3)") == true,
                    "\(e?.description ?? "")")
        }
        let store = try ExperimentStore.open(directory: expDir)
        let before = try store.trials()
        // Trials 1 and 2 were told; trial 3's result is stored, untold; nothing else ran.
        #expect(before.count == 3 && before.allSatisfy { $0.status == .succeeded })
        #expect(before.map(\.told) == [true, true, false])
        // Fix the command (same command line, repaired script) and resume.
        _ = try writeStrategy(dir, mode: "good")
        let resumed = try ExperimentRunner(store: store, makeStrategy: externalFactory(dir), trialExecutable: dir + "/fake-trial.sh")
        let summary = try resumed.run(resuming: true)
        #expect(summary.endReason == "max-trials" && summary.succeeded == 5)
        let after = try store.trials()
        #expect(after.allSatisfy { $0.told && $0.attempts == 1 })
        #expect(Array(after.prefix(3).map(\.finalMetric)) == before.map(\.finalMetric))
        let state = try JSONDecoder().decode(ToldState.self, from: Data(try #require(try store.latestCheckpoint())))
        #expect(state.next == 5 && state.told.count == 5)
    }

    @Test func theOptunaExampleSearchesAndResumes() throws {
        let dir = try Fixtures.tempDir()
        let optuna = NascRoot.path + "/examples/strategies/optuna_strategy.py"
        let expDir: String
        do {
            let runner = try externalRunner(dir, optuna + " --n-startup-trials 3", Fixtures.config(maxTrials: 6, concurrency: 2))
            expDir = runner.store.directory
            let summary = try runner.run()
            let log = (try? String(contentsOfFile: dir + "/strategy.log", encoding: .utf8)) ?? ""
            #expect(summary.endReason == "max-trials" && summary.succeeded == 6, "\(log)")
            // Optuna's state: every outcome, nothing pending.
            let state = try JSONSerialization.jsonObject(with: Data(try #require(try runner.store.latestCheckpoint()))) as? [String: Any]
            #expect((state?["history"] as? [Any])?.count == 6 && (state?["running"] as? [Any])?.isEmpty == true)
        }
        // Resume with a higher limit: the study is rebuilt from the state and continues.
        let store = try ExperimentStore.open(directory: expDir)
        let resumed = try ExperimentRunner(store: store, makeStrategy: externalFactory(dir), trialExecutable: dir + "/fake-trial.sh")
        let more = try resumed.run(LimitOverrides(maxTrials: 9), resuming: true)
        #expect(more.total == 9 && more.succeeded == 9)
        let state2 = try JSONSerialization.jsonObject(with: Data(try #require(try store.latestCheckpoint()))) as? [String: Any]
        #expect((state2?["history"] as? [Any])?.count == 9)
    }
}

/// The repository root (for example scripts).
enum NascRoot {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}
