// CommandTrialTests: the experiment loop with `--trial-command` trials — environment, the fault cases of RunnerTests
// run as a user command, process-group stops, orphan cleanup on resume, and the stop after repeated failures.
import Foundation
import NASCIR
import NASCStrategies
import Testing
@testable import NASCExperiment

/// Writes `body` as a shell script (with `id=$NASC_TRIAL_ID`) and returns a runner whose trials run it as a command.
func commandRunner(_ dir: String, _ body: String, _ config: ExperimentConfig) throws -> ExperimentRunner {
    let script = dir + "/trial.sh"
    try ("id=$NASC_TRIAL_ID\n" + body + "\n").write(toFile: script, atomically: true, encoding: .utf8)
    var config = config
    config.engine = TrialEngineConfig(trialCommand: "sh trial.sh", workingDirectory: dir)
    let store = try ExperimentStore.create(directory: dir + "/exp", config: config, space: try Fixtures.space())
    return try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: "/nonexistent/nasc")
}

@Suite struct CommandTrialTests {
    @Test func theCommandGetsItsEnvironmentAndReportsLikeNascTrial() throws {
        let dir = try Fixtures.tempDir()
        // The trial copies what it was given into its trial directory, then reports.
        let body = """
        { echo "$NASC_ARCH_FILE"; echo "$NASC_TRIAL_ID"; echo "$NASC_TRIAL_DIR"; echo "$NASC_SPACE_FILE"; echo "$NASC_SEED"; \
        echo "$NASC_SEARCH_SPACE_FILE"; pwd; } > "$NASC_TRIAL_DIR/env.txt"
        cat "$NASC_ARCH_FILE" > "$NASC_TRIAL_DIR/arch.json"
        echo "a line for the log" >&2
        \(goodTrial)
        """
        let runner = try commandRunner(dir, body, Fixtures.config(maxTrials: 3, concurrency: 2))
        let summary = try runner.run()
        let errors = try runner.store.trials().map { $0.error ?? "" }
        #expect(summary.endReason == "max-trials" && summary.succeeded == 3, "\(errors)")
        let exp = URL(fileURLWithPath: dir + "/exp").standardizedFileURL.path
        for t in try runner.store.trials() {
            let env = try String(contentsOfFile: "\(exp)/trials/\(t.id)/env.txt", encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(env == ["\(exp)/trials/\(t.id).json", "\(t.id)", "\(exp)/trials/\(t.id)", "\(exp)/space.pb", "\(7 + t.id)",
                            "\(exp)/search_space.json", URL(fileURLWithPath: dir).standardizedFileURL.path])
            #expect(try String(contentsOfFile: "\(exp)/trials/\(t.id)/arch.json", encoding: .utf8) == t.architectureJSON)
            #expect(t.finalMetric == Double("0.\(t.id)") && t.attempts == 1)
            #expect(try String(contentsOfFile: "\(exp)/trials/\(t.id).log", encoding: .utf8) == "a line for the log\n")
        }
        #expect(try runner.store.intermediates(2).map(\.metric) == [0.05, 0.07])
        // The NNI search-space file names every decision of the space.
        let nni = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(exp)/search_space.json"))) as? [String: Any]
        #expect(Set(nni?.keys.map { $0 } ?? []) == ["act", "width"])
    }

    /// The fault cases of `RunnerTests.failingTrialsFailAloneAndTheExperimentCompletes`, as a user command.
    @Test func failingCommandTrialsFailAloneWithTheSameErrors() throws {
        let dir = try Fixtures.tempDir()
        let script = """
        case $id in
          2) echo '{"type":"intermediate","epoch":1,"metric":0.3}'; kill -SEGV $$ ;;
          3) echo 'Segmentation fault? no: just garbage'; exit 0 ;;
          4) echo '{"type":"error","kind":"diverged","message":"loss is NaN at epoch 2"}'; exit 1 ;;
          5) echo 'Traceback: FileNotFoundError: data.csv' >&2; exit 3 ;;
          6) echo '{"type":"final","metric":NaN}'; exit 0 ;;
        esac
        \(goodTrial)
        """
        let runner = try commandRunner(dir, script, Fixtures.config(maxTrials: 7, concurrency: 3))
        let summary = try runner.run()
        let t = try runner.store.trials()
        #expect(summary.total == 7 && summary.succeeded == 2 && summary.failed == 5, "\(t.map { $0.error ?? "" })")
        #expect(t[1].error == "crashed: killed by signal 11 (SIGSEGV)")
        #expect(try runner.store.intermediates(2).map(\.metric) == [0.3])
        #expect(t[2].error?.hasPrefix("bad output: not a JSON trial message: Segmentation fault?") == true)
        #expect(t[3].error == "diverged: loss is NaN at epoch 2")
        // The last line of the command's stderr explains a failure without a report.
        #expect(t[4].error == "exited with status 3 without a result: Traceback: FileNotFoundError: data.csv")
        #expect(t[5].error?.hasPrefix("bad output:") == true)
        #expect(t[0].status == .succeeded && t[6].status == .succeeded)
        #expect(try strategyState(runner.store).told.filter { $0.hasPrefix("fail") }.count == 5)
    }

    @Test func maxDurationStopsTheWholeProcessGroup() throws {
        let dir = try Fixtures.tempDir()
        // The shell starts a child that ignores SIGTERM and records its pid; both must die.
        let script = """
        echo '{"type":"intermediate","epoch":1,"metric":0.2}'
        sh -c 'trap "" TERM; echo $$ > "$NASC_TRIAL_DIR/child.pid"; exec sleep 60' &
        wait
        """
        let runner = try commandRunner(dir, script, Fixtures.config(maxTrials: 2, concurrency: 2, maxDuration: 1.5))
        runner.killGrace = 0.5
        let summary = try runner.run()
        #expect(summary.endReason == "max-duration" && summary.unfinished == 2)
        let t = try runner.store.trials()
        #expect(t.allSatisfy { $0.status == .queued && $0.error == "interrupted: max-duration (1.5s) reached" })
        for trial in t {
            let text = try String(contentsOfFile: runner.store.directory + "/trials/\(trial.id)/child.pid", encoding: .utf8)
            let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline && kill(pid, 0) == 0 && !isZombie(pid) { Thread.sleep(forTimeInterval: 0.05) }
            #expect(kill(pid, 0) != 0 || isZombie(pid), "child \(pid) of trial \(trial.id) still alive")
        }
    }

    @Test func resumeKillsCommandTrialsLeftRunningAndRetriesThem() throws {
        let dir = try Fixtures.tempDir()
        let runner = try commandRunner(dir, goodTrial, Fixtures.config(maxTrials: 2))
        let store = runner.store
        let space = try SearchSpace(try Fixtures.space())
        var strategy = SequentialStrategy(space: space)
        let archs = try strategy.ask(count: 1)
        try store.addTrials(try archs.map { try ArchitectureJSON.write($0, space: space) }, checkpoint: try strategy.saveState())
        // A trial process of a killed session: it carries the trial's NASC_ARCH_FILE and runs on.
        let exp = URL(fileURLWithPath: store.directory).standardizedFileURL.path
        let orphan = Process()
        orphan.executableURL = URL(fileURLWithPath: "/bin/sleep")
        orphan.arguments = ["60"]
        orphan.environment = ["NASC_ARCH_FILE": Experiment.architecturePath(exp, trial: 1)]
        try orphan.run()
        try store.markRunning(1, pid: Int(orphan.processIdentifier))
        let summary = try runner.run(resuming: true)
        orphan.waitUntilExit()
        #expect(orphan.terminationReason == .uncaughtSignal && orphan.terminationStatus == SIGKILL)
        #expect(summary.succeeded == 2)
        let t = try store.trials()
        #expect(t[0].attempts == 2 && t[0].finalMetric == 0.1)
    }

    @Test func aBrokenCommandStopsTheExperimentAfterThreeFailures() throws {
        let dir = try Fixtures.tempDir()
        let runner = try commandRunner(dir, "echo 'python3: cannot open file train.py' >&2; exit 2", Fixtures.config(maxTrials: 20, concurrency: 2))
        let summary = try runner.run()
        #expect(summary.endReason == "failing")
        #expect(summary.succeeded == 0 && summary.failed >= 3 && summary.total < 20)
        let t = try runner.store.trials()
        // Every failed trial carries the command's error (under load, trial 1 may still be running when three others
        // have failed, and is then left unfinished).
        let failed = t.filter { $0.status == .failed }
        #expect(failed.count >= 3 && failed.allSatisfy { $0.error == "exited with status 2 without a result: python3: cannot open file train.py" },
                "\(t.map { "\($0.id): \($0.status) \($0.error ?? "")" })")
        // Nothing is lost: every trial is failed (told) or unfinished (retried by --resume).
        #expect(t.allSatisfy { ($0.status == .failed && $0.told) || $0.status == .queued })
        #expect(try runner.store.state().endReason == "failing")
    }

    @Test func aMissingProgramIsRefusedAtTheFlag() throws {
        let plain = try Fixtures.tempDir() + "/train.sh"
        try "echo hi\n".write(toFile: plain, atomically: true, encoding: .utf8)
        for (command, message) in [("no-such-trainer --x", "'no-such-trainer': command not found on PATH"),
                                   ("./missing.sh", "'./missing.sh' does not exist"),
                                   ("FOO=1 \(plain) --x", "'\(plain)' is not an executable file")] {
            let config = TrialEngineConfig(trialCommand: command, workingDirectory: "/tmp")
            let e = #expect(throws: DiagnosticError.self) { try config.validate() }
            #expect(e?.description.hasPrefix("--trial-command: error: \(message)") == true, "\(e?.description ?? "")")
        }
        #expect(throws: Never.self) { try TrialEngineConfig(trialCommand: "python3 train.py", workingDirectory: "/tmp").validate() }
        #expect(throws: Never.self) { try TrialEngineConfig(trialCommand: "cd /tmp && ./x", workingDirectory: "/tmp").validate() }
    }
}

/// True when `pid` has exited but is not reaped yet.
func isZombie(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
}
