// RunnerTests: the experiment loop against scripted trial processes — limits, failures, concurrency, resume.
import Foundation
import NASCIR
import NASCStrategies
import Testing
@testable import NASCExperiment

/// A trial that reports overhead, two epochs and a final metric of 0.<id>.
let goodTrial = """
echo '{"type":"overhead","started_at":'$(date +%s.%N)',"load_ms":1.5,"specialize_ms":0.5,"compile_ms":2}'
echo '{"type":"intermediate","epoch":1,"metric":0.05}'
echo '{"type":"intermediate","epoch":2,"metric":0.07}'
echo '{"type":"final","metric":0.'$id',"params":10}'
"""

func newRunner(_ dir: String, _ script: String, _ config: ExperimentConfig) throws -> ExperimentRunner {
    let exe = try fakeTrial(dir, script)
    let store = try ExperimentStore.create(directory: dir + "/exp", config: config, space: try Fixtures.space())
    return try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: exe)
}

func strategyState(_ store: ExperimentStore) throws -> SequentialStrategy.State {
    try JSONDecoder().decode(SequentialStrategy.State.self, from: Data(try #require(try store.latestCheckpoint())))
}

@Suite struct RunnerTests {
    @Test func maxTrialsEndsCleanlyAndRecordsEverything() throws {
        let dir = try Fixtures.tempDir()
        let runner = try newRunner(dir, goodTrial, Fixtures.config(maxTrials: 5, concurrency: 2))
        let summary = try runner.run()
        #expect(summary.endReason == "max-trials")
        #expect(summary.total == 5 && summary.succeeded == 5 && summary.failed == 0)
        #expect(summary.best?.id == 5 && summary.best?.finalMetric == 0.5)
        let trials = try runner.store.trials()
        #expect(trials.map(\.finalMetric) == [0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(trials.allSatisfy { $0.told && $0.attempts == 1 && $0.params == 10 })
        #expect(try runner.store.intermediates(3).map(\.metric) == [0.05, 0.07])
        let o = trials[0].overhead
        #expect(o.loadMs == 1.5 && o.specializeMs == 0.5 && o.compileMs == 2 && (o.processStartMs ?? -1) >= 0)
        // The checkpoint reflects every proposal and every outcome.
        let state = try strategyState(runner.store)
        #expect(state.next == 5 && state.told.count == 5)
        #expect(try runner.store.state().status == "finished" && runner.store.state().endReason == "max-trials")
        // Architecture files for the trial processes are NNI v3 JSON of the stored architectures.
        let arch = try String(contentsOfFile: Experiment.architecturePath(runner.store.directory, trial: 1), encoding: .utf8)
        #expect(arch == trials[0].architectureJSON)
    }

    @Test func failingTrialsFailAloneAndTheExperimentCompletes() throws {
        let dir = try Fixtures.tempDir()
        let script = """
        case $id in
          2) echo '{"type":"intermediate","epoch":1,"metric":0.3}'; kill -SEGV $$ ;;
          3) echo 'Segmentation fault? no: just garbage'; exit 0 ;;
          4) echo '{"type":"error","kind":"diverged","message":"loss is NaN at epoch 2"}'; exit 1 ;;
          5) exit 3 ;;
          6) echo '{"type":"final","metric":NaN}'; exit 0 ;;
        esac
        \(goodTrial)
        """
        let runner = try newRunner(dir, script, Fixtures.config(maxTrials: 7, concurrency: 3))
        let summary = try runner.run()
        let dump = try runner.store.trials().map { "\($0.id) \($0.status) \($0.error ?? "") \($0.finalMetric ?? -1)" }
        #expect(summary.total == 7 && summary.succeeded == 2 && summary.failed == 5, "\(dump)")
        let t = try runner.store.trials()
        #expect(t[1].error == "crashed: killed by signal 11 (SIGSEGV)")
        #expect(try runner.store.intermediates(2).map(\.metric) == [0.3])
        #expect(t[2].error?.hasPrefix("bad output: not a JSON trial message: Segmentation fault?") == true)
        #expect(t[3].error == "diverged: loss is NaN at epoch 2")
        #expect(t[4].error == "exited with status 3 without a result")
        #expect(t[5].error?.hasPrefix("bad output:") == true)
        #expect(t[0].status == .succeeded && t[6].status == .succeeded)
        #expect(try strategyState(runner.store).told.filter { $0.hasPrefix("fail") }.count == 5)
    }

    @Test func concurrentTrialsOverlap() throws {
        let dir = try Fixtures.tempDir()
        let runner = try newRunner(dir, "sleep 1\n" + goodTrial, Fixtures.config(maxTrials: 4, concurrency: 4))
        let summary = try runner.run()
        #expect(summary.succeeded == 4)
        let t = try runner.store.trials()
        // All four ran at the same time: each started before any other ended.
        let lastStart = t.compactMap(\.startedAt).max()!, firstEnd = t.compactMap(\.endedAt).min()!
        // (The overlap is the evidence; no wall-clock bound, which a loaded CI machine would break.)
        #expect(lastStart < firstEnd)
    }

    @Test func maxDurationKillsRunningTrialsAndNeverHangs() throws {
        let dir = try Fixtures.tempDir()
        // The trial ignores SIGTERM, so the runner must escalate to SIGKILL.
        let script = "trap '' TERM\necho '{\"type\":\"intermediate\",\"epoch\":1,\"metric\":0.2}'\nexec sleep 60"
        let runner = try newRunner(dir, script, Fixtures.config(maxTrials: 10, concurrency: 2, maxDuration: 1))
        runner.killGrace = 0.5
        let start = Date()
        let summary = try runner.run()
        let wall = Date().timeIntervalSince(start)
        #expect(summary.endReason == "max-duration")
        // The trials sleep 60 s and ignore SIGTERM: ending well before that shows the SIGKILL escalation (the bound is
        // loose so a loaded machine does not break it).
        #expect(wall < 40, "took \(wall) s")
        let t = try runner.store.trials()
        // Cut off, not failed: queued again for --resume, the strategy not told.
        #expect(t.count == 2 && t.allSatisfy { $0.status == .queued && $0.error == "interrupted: max-duration (1s) reached" && !$0.told })
        #expect(summary.unfinished == 2 && summary.failed == 0)
        #expect(try runner.store.intermediates(1).map(\.metric) == [0.2])
        #expect(try runner.store.state().endReason == "max-duration")
    }

    @Test func resumeKeepsFinishedTrialsAndRetriesUnfinished() throws {
        let dir = try Fixtures.tempDir()
        let exe = try fakeTrial(dir, goodTrial)
        let expDir = dir + "/exp"
        let space = try Fixtures.space()
        // An interrupted session: 4 proposed, 1 succeeded, 1 failed, 1 running, 1 queued.
        do {
            let store = try ExperimentStore.create(directory: expDir, config: Fixtures.config(maxTrials: 6), space: space)
            let searchSpace = try SearchSpace(space)
            var strategy = SequentialStrategy(space: searchSpace)
            let archs = try strategy.ask(count: 4)
            try store.addTrials(try archs.map { try ArchitectureJSON.write($0, space: searchSpace) }, checkpoint: try strategy.saveState())
            try store.markRunning(1, pid: nil)
            try strategy.tell(archs[0], outcome: .succeeded(metric: 0.9))
            try store.finishTrial(1, .succeeded(metric: 0.9, params: nil, flops: nil), checkpoint: try strategy.saveState())
            try store.markRunning(2, pid: nil)
            try strategy.tell(archs[1], outcome: .failed(reason: "boom"))
            try store.finishTrial(2, .failed(reason: "boom"), checkpoint: try strategy.saveState())
            try store.markRunning(3, pid: 999_999)
            try store.recordIntermediate(3, epoch: 1, metric: 0.01)
        }
        let store = try ExperimentStore.open(directory: expDir)
        let runner = try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: exe)
        let summary = try runner.run(resuming: true)
        #expect(summary.total == 6 && summary.endReason == "max-trials")
        let t = try store.trials()
        // Finished trials were not re-run: same result, one attempt.
        #expect(t[0].finalMetric == 0.9 && t[0].attempts == 1)
        #expect(t[1].error == "boom" && t[1].attempts == 1)
        // The running one was retried (second attempt), the queued one run once, then two new ones.
        #expect(t[2].status == .succeeded && t[2].attempts == 2 && t[2].finalMetric == 0.3)
        #expect(t[3].status == .succeeded && t[3].attempts == 1)
        #expect(t[4].finalMetric == 0.5 && t[5].finalMetric == 0.6)
        // The strategy continued from its checkpoint: it proposed only 2 more and saw all 6 outcomes.
        let state = try strategyState(store)
        #expect(state.next == 6 && state.told.count == 6 && state.told[0] == "ok 0.9" && state.told[1] == "fail boom")
        #expect(try store.state().sessions == 2)
    }

    @Test func untoldResultsAreFedToTheRestoredStrategy() throws {
        let dir = try Fixtures.tempDir()
        let space = try Fixtures.space()
        let searchSpace = try SearchSpace(space)
        let store = try ExperimentStore.create(directory: dir, config: Fixtures.config(maxTrials: 2), space: space)
        var strategy = SequentialStrategy(space: searchSpace)
        let archs = try strategy.ask(count: 2)
        try store.addTrials(try archs.map { try ArchitectureJSON.write($0, space: searchSpace) }, checkpoint: try strategy.saveState())
        // Results recorded without a checkpoint (as by an older session that crashed between the two).
        try store.finishTrial(1, .succeeded(metric: 0.4, params: nil, flops: nil), checkpoint: nil)
        try store.finishTrial(2, .failed(reason: "x"), checkpoint: nil)
        _ = try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: "/bin/false")
        let state = try strategyState(store)
        #expect(state.told == ["ok 0.4", "fail x"])
        #expect(try store.trials().allSatisfy(\.told))
    }

    @Test func budgetRejectsBeforeEvaluation() throws {
        let dir = try Fixtures.tempDir()
        var config = Fixtures.config(maxTrials: 6)
        // width 4: 4*4+4 + 4*2+2 = 30 params; width 8: 58; width 16: 114.
        config.maxParams = 60
        let runner = try newRunner(dir, goodTrial, config)
        let summary = try runner.run()
        #expect(summary.total == 6)
        let rejected = try runner.store.trials().filter { $0.error?.hasPrefix("outside the budget") == true }
        #expect(rejected.count == 2)
        #expect(rejected.allSatisfy { $0.error == "outside the budget: 114 parameters > limit 60" && $0.pid == nil })
    }

    @Test func secondRunnerOnTheSameDirectoryIsRefused() throws {
        let dir = try Fixtures.tempDir()
        let runner = try newRunner(dir, goodTrial, Fixtures.config(maxTrials: 1))
        let e = #expect(throws: DiagnosticError.self) {
            _ = try ExperimentRunner(store: runner.store, makeStrategy: sequentialFactory, trialExecutable: "/bin/true")
        }
        #expect(e?.description == "\(runner.store.directory): error: another `nasc run` is working on this experiment")
    }
}

@Suite struct LingerAndDisplayTests {
    @Test func aTrialThatReportsButDoesNotExitIsKilledAndKeepsItsResult() throws {
        let dir = try Fixtures.tempDir()
        let runner = try newRunner(dir, goodTrial + "\nexec sleep 60", Fixtures.config(maxTrials: 2, concurrency: 1))
        runner.lingerLimit = 0.3
        let start = Date()
        let summary = try runner.run()
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(summary.succeeded == 2)
    }

    final class Lines: @unchecked Sendable { var text = "" }

    @Test func plainDisplayWritesOneLinePerEvent() throws {
        let out = Lines()
        let display = ProgressDisplay(live: false) { out.text += $0 }
        display.trialStarted(1, attempt: 2, pid: 77)
        display.trialProgress(1, epoch: 1, metric: 0.5)
        display.trialFinished(TrialRecord(id: 1, architectureJSON: "{}", status: .succeeded, finalMetric: 0.75, startedAt: 1, endedAt: 3.5))
        display.trialFinished(TrialRecord(id: 2, architectureJSON: "{}", status: .failed, error: "crashed"))
        display.tick(ExperimentSnapshot(running: [:], succeeded: 1, failed: 1, queued: 0, total: 2, best: nil, elapsed: 1,
                                        maxTrials: nil, maxDuration: nil))
        let lines = out.text.split(separator: "\n").map { String($0.drop { $0 != "]" }.dropFirst(2)) }
        #expect(lines == ["trial 1 started (attempt 2) pid 77", "trial 1 epoch 1: 0.5000",
                          "trial 1 succeeded: 0.7500 in 2.50s", "trial 2 failed: crashed"])
    }

    @Test func liveDisplayRedrawsItsBlock() throws {
        let out = Lines()
        let display = ProgressDisplay(live: true) { out.text += $0 }
        let snap = ExperimentSnapshot(running: [3: (epoch: 2, metric: 0.25), 4: nil], succeeded: 2, failed: 0, queued: 1, total: 5,
                                      best: (id: 1, metric: 0.9), elapsed: 65, maxTrials: 10, maxDuration: 600)
        display.tick(snap)
        // ETA: the earlier of max-duration's remainder (535 s) and 8 more trials at 65 s / 2 finished (260 s).
        #expect(out.text == "trials 5/10: 2 running, 2 succeeded, 0 failed, 1 queued; 1m5s of 10m, ETA 4m20s\nbest: trial 1 0.9000\n"
                + "  trial 3  epoch 2: 0.2500\n  trial 4  starting\n")
        out.text = ""
        display.tick(snap)
        #expect(out.text.hasPrefix("\u{1B}[4A\u{1B}[J"))
    }
}

/// A strategy whose `tell` fails, to check that an internal error leaves no trial process behind.
struct FailingTellStrategy: Strategy {
    var inner: SequentialStrategy
    var name: String { "failing" }
    mutating func ask(count: Int) throws -> [Architecture] { try inner.ask(count: count) }
    mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws { throw CocoaError(.featureUnsupported) }
    var isExhausted: Bool { false }
    func saveState() throws -> [UInt8] { try inner.saveState() }
    mutating func restore(state: [UInt8]) throws { try inner.restore(state: state) }
}

@Suite struct RunnerErrorTests {
    @Test func anInternalErrorKillsRunningTrials() throws {
        let dir = try Fixtures.tempDir()
        let exe = try fakeTrial(dir, "if [ $id != 1 ]; then exec sleep 30; fi\n" + goodTrial)
        let store = try ExperimentStore.create(directory: dir + "/exp", config: Fixtures.config(maxTrials: 3, concurrency: 3),
                                               space: try Fixtures.space())
        let runner = try ExperimentRunner(store: store, makeStrategy: { _, _, s in FailingTellStrategy(inner: SequentialStrategy(space: s)) },
                                          trialExecutable: exe)
        #expect(throws: CocoaError.self) { _ = try runner.run() }
        let pids = try store.trials().compactMap(\.pid).filter { $0 > 0 }
        #expect(pids.count == 3)
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && pids.contains(where: { kill(pid_t($0), 0) == 0 }) { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!pids.contains { kill(pid_t($0), 0) == 0 }, "trial processes still alive")
    }
}

@Suite struct LeftoverChildTests {
    @Test func aGrandchildHoldingStdoutDoesNotHoldTheTrial() throws {
        let dir = try Fixtures.tempDir()
        // The trial leaves a background process that keeps the output pipe open after the trial exits.
        let runner = try newRunner(dir, "sleep 20 &\n" + goodTrial, Fixtures.config(maxTrials: 2, concurrency: 1))
        let start = Date()
        let summary = try runner.run()
        #expect(summary.succeeded == 2)
        #expect(Date().timeIntervalSince(start) < 12)
    }
}

@Suite struct StartFailureTests {
    /// A trial process that cannot be started is an infrastructure error: the trial stays unfinished (never failed,
    /// never told to the strategy), the session ends instead of spinning, and a later session completes it.
    @Test func aMissingTrialExecutableLeavesTrialsUnfinished() throws {
        let dir = try Fixtures.tempDir()
        let store = try ExperimentStore.create(directory: dir + "/exp", config: Fixtures.config(maxTrials: 3), space: try Fixtures.space())
        let summary: ExperimentSummary
        do {
            let runner = try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: dir + "/missing-nasc")
            summary = try runner.run()
            #expect(try strategyState(store).told.isEmpty)
        }
        #expect(summary.endReason == "infrastructure-error")
        #expect(summary.failed == 0 && summary.succeeded == 0 && summary.unfinished == summary.total && summary.total >= 1)
        #expect(summary.infrastructureErrors == 1)
        #expect(summary.lastInfrastructureError == "cannot start \(dir)/missing-nasc: No such file or directory")
        #expect(try store.trials().allSatisfy { $0.status == .queued && $0.error?.hasPrefix("not started (infrastructure error") == true })

        let exe = try fakeTrial(dir, goodTrial)
        let runner = try ExperimentRunner(store: store, makeStrategy: sequentialFactory, trialExecutable: exe)
        let resumed = try runner.run(resuming: true)
        #expect(resumed.succeeded == 3 && resumed.failed == 0 && resumed.infrastructureErrors == 0)
    }
}
