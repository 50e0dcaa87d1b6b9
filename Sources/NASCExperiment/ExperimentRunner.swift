// ExperimentRunner: the multi-trial loop behind `nasc run` — ask, spawn trial processes, record, tell, checkpoint, limits, resume.
import Foundation
import NASCIR
import NASCStrategies

/// How a session ended.
public struct ExperimentSummary: Sendable {
    /// `max-trials`, `max-duration`, `exhausted` (the strategy has nothing more to propose).
    public var endReason: String
    /// Trials in the store at the end, by status.
    public var succeeded: Int
    public var failed: Int
    /// Trials left unfinished (cut off by `--max-duration`, or never started); `--resume` retries them.
    public var unfinished: Int
    public var total: Int
    /// The best succeeded trial, if any.
    public var best: TrialRecord?
    /// Wall-clock seconds over all sessions.
    public var elapsed: Double
    /// Times a trial process could not be started (descriptors, processes or memory ran out, executable missing):
    /// infrastructure errors, never the trial's failure. The trial stays queued and is retried.
    public var infrastructureErrors: Int = 0
    /// The last such error.
    public var lastInfrastructureError: String?
    /// The signal that interrupted the session (SIGINT, SIGTERM, SIGHUP, SIGQUIT), if any.
    public var interruptedBy: Int32?
    /// Trials stopped early (`--early-stop`; they count as results), and the epochs all finished trials ran.
    public var stopped = 0
    public var epochsRun = 0
}

/// Builds the strategy named in a configuration (the CLI passes `Strategies.make`).
public typealias StrategyFactory = (_ config: ExperimentConfig, _ space: ModelSpace, _ searchSpace: SearchSpace) throws -> any Strategy

/// Runs an experiment: the strategy proposes architectures, each is evaluated by a separate `nasc trial` process
/// (up to `concurrency` at once), every report is stored as it arrives, and the strategy is told each outcome.
///
/// **Resume.** Creating a runner on a stored experiment restores the strategy from its newest checkpoint and
/// tells it any finished trial recorded after that checkpoint; `run()` then retries trials left queued or
/// running by an interrupted session (killing their orphaned processes) before asking for new ones. Finished
/// trials are never re-run.
///
/// **Limits.** No new trial is proposed once `maxTrials` exist. At `maxDuration` (counted over all sessions)
/// running trials are sent SIGTERM, then SIGKILL after `killGrace` seconds, and put back in the queue as
/// unfinished ("interrupted: max-duration reached"): they are not results, the strategy is not told, and
/// `nasc run --resume` retries them. The loop never waits longer than `killGrace + exitWait` after that.
///
/// **Hung trials.** A trial running longer than `trialTimeout`, or silent (no message) for `stallTimeout`, is
/// sent SIGTERM, then SIGKILL after `killGrace`, and fails with the reason; one that reported its result and does
/// not exit is killed after `lingerLimit` and keeps its result.
///
/// **Interruption.** ``stopRequest`` (set by SIGINT, SIGTERM, SIGHUP or SIGQUIT in `nasc run`) ends the session like the
/// duration limit: every trial process is stopped and left unfinished for `--resume`.
///
/// **Infrastructure errors.** A trial process that cannot be started stays queued and is retried after a delay
/// (resource limits), and the session ends early, leaving it unfinished, when starts keep failing with nothing
/// running or the failure is not a resource limit (a missing executable).
public final class ExperimentRunner {
    public let store: ExperimentStore
    public private(set) var config: ExperimentConfig
    let space: ModelSpace
    let searchSpace: SearchSpace
    var strategy: any Strategy
    /// The `nasc` executable used for trial processes.
    public var trialExecutable: String
    /// Seconds between SIGTERM and SIGKILL at the duration limit.
    public var killGrace: Double = 1.0
    /// Seconds to wait for killed processes to be reaped before giving up on them.
    public var exitWait: Double = 3.0
    /// Seconds a trial process may linger after reporting its result before it is killed (its slot is needed).
    public var lingerLimit: Double = 10.0
    /// Seconds before retrying a start that failed for lack of resources (doubled for each further failure, up to 8x).
    public var startRetryDelay: Double = 0.5
    /// Consecutive failed starts, with no trial running, after which the session gives up.
    public var maxStartFailures = 6
    /// Set from a signal handler to end the session (see ``StopRequest``).
    public let stopRequest = StopRequest()
    /// Progress display.
    public weak var observer: (any ExperimentObserver)?
    let lock: ExperimentLock
    let absoluteDirectory: String
    let events = EventQueue<TrialProcessEvent>()

    struct Running {
        var process: (any TrialHandle)?
        var architecture: Architecture
        var attempt: Int
        var finished = false
        var error: String?
        var badOutput: String?
        var killedReason: String?
        var progress: (epoch: Int, metric: Double)?
        var finishedAt: Date?
        /// The metrics reported so far, and the epoch at which the early-stopping rule stopped the trial.
        var curve: [Double] = []
        var stoppedAt: Int?
        /// When the process was first seen ended without its exit being reported.
        var endedSeen: Date?
        /// When it started, and when it last sent a message (timeouts).
        var startedAt = Date()
        var lastMessageAt = Date()
        /// When it was sent SIGTERM for a timeout (SIGKILL follows after `killGrace`).
        var terminatedAt: Date?
    }
    var running: [Int: Running] = [:]
    var pending: [Int] = []
    var infrastructureErrors = 0
    var lastInfrastructureError: String?
    var consecutiveStartFailures = 0
    var startBlockedUntil = Date.distantPast
    /// Set when starting trials is pointless (the error is not a resource limit): the session ends once running trials end.
    var startsHalted = false
    /// The signal that ended the session, if any.
    var interruptedBy: Int32?
    /// Starts trials (local `nasc trial`, a trial command, or Ray jobs: see ``TrialLaunchers``), made per session.
    var launcher: (any TrialLauncher)?
    /// Outcomes seen in this session, for the trial-command check (``TrialEngineConfig/failFastCount``).
    var sessionOutcomes = (succeeded: 0, failed: 0)
    /// The early-stopping rule (`config.earlyStop`), rebuilt from the store at each session.
    var earlyStopping: EarlyStopping?

    /// Opens a runner on a stored experiment (new or resumed), taking the directory's lock and restoring the strategy.
    /// `lock` is the directory's lock when the caller already holds it (it took it before creating the store).
    public init(store: ExperimentStore, makeStrategy: StrategyFactory, trialExecutable: String, lock: ExperimentLock? = nil) throws {
        self.lock = try lock ?? ExperimentLock(directory: store.directory)
        self.store = store
        self.config = try store.config()
        self.space = try store.space()
        self.searchSpace = try SearchSpace(space)
        self.strategy = try makeStrategy(config, space, searchSpace)
        self.trialExecutable = trialExecutable
        self.absoluteDirectory = URL(fileURLWithPath: store.directory).standardizedFileURL.path
        if let state = try store.latestCheckpoint() {
            try strategy.restore(state: state)
        }
        // Results recorded after the checkpoint (none when every report committed its checkpoint) are fed now.
        var told: [Int] = []
        for t in try store.trials() where t.status.isFinished && !t.told {
            let arch = try ArchitectureJSON.read(t.architectureJSON, space: searchSpace, file: store.path)
            try strategy.tell(arch, outcome: Self.outcome(t))
            told.append(t.id)
        }
        if !told.isEmpty { try store.markTold(told, checkpoint: try strategy.saveState()) }
    }

    static func outcome(_ t: TrialRecord) -> TrialOutcome {
        if t.status.hasResult, let m = t.finalMetric { return .succeeded(metric: m) }
        return .failed(reason: t.error ?? "failed")
    }

    /// Runs until a limit is reached or the strategy is exhausted. When `resuming`, `overrides` change the
    /// stored limits first and a new session is recorded.
    public func run(_ overrides: LimitOverrides = LimitOverrides(), resuming: Bool = false) throws -> ExperimentSummary {
        do {
            return try session(overrides, resuming: resuming)
        } catch {
            // An internal error (store, strategy) ends the session; no trial process may outlive it.
            for entry in running.values { entry.process?.signal(SIGKILL) }
            running.removeAll()
            throw error
        }
    }

    func session(_ overrides: LimitOverrides, resuming: Bool) throws -> ExperimentSummary {
        let before = try store.state()
        let resumed = resuming
        let launcher = try TrialLaunchers.make(try store.config().engine, nascExecutable: trialExecutable)
        try launcher.prepare()
        self.launcher = launcher
        if resumed { try store.beginSession(overrides) }
        config = try store.config()
        let previousElapsed = before.elapsed
        let sessionStart = Experiment.now()
        func elapsed() -> Double { previousElapsed + (Experiment.now() - sessionStart) }
        let deadline = config.maxDuration.map { Date(timeIntervalSince1970: sessionStart + max(0, $0 - previousElapsed)) }

        try Experiment.makeDirectory(Experiment.trialsDirectory(store.directory))
        try Experiment.writeAtomically(try ProtoIO.encode(space), to: Experiment.spacePath(store.directory))
        try Experiment.writeAtomically(Array(NNISpaceJSON.write(searchSpace).utf8), to: Experiment.searchSpacePath(store.directory))
        killOrphans()
        pending = try store.requeueUnfinished()
        earlyStopping = try config.earlyStop.map { try EarlyStopping.parse($0.name, options: $0.options, epochs: 1) }
        if earlyStopping != nil {
            // The rule's history: completed curves (median) and rung metrics (ASHA) of the finished trials.
            for t in try store.trials() where t.status.hasResult {
                let curve = try store.intermediates(t.id).map(\.metric)
                earlyStopping?.replay(trial: t.id, curve: curve, completed: t.status == .succeeded)
            }
        }
        var total = try store.trialCount()
        if resumed {
            let done = total - pending.count
            observer?.note("resuming: \(done) finished trials kept, \(pending.count) unfinished to retry")
        }
        var endReason: String?
        var lastTick = Date.distantPast

        while true {
            if let signal = stopRequest.signal {
                interruptedBy = signal
                try stopAll(reason: "interrupted: \(Self.signalName(signal) ?? "signal \(signal)") received")
                break
            }
            if let deadline, Date() >= deadline {
                endReason = "max-duration"
                try stopAll(reason: "interrupted: max-duration (\(DurationParser.describe(config.maxDuration ?? 0))) reached")
                break
            }
            // Fill free slots: retries first, then new proposals.
            while running.count < config.concurrency && !startsHalted && Date() >= startBlockedUntil {
                if !pending.isEmpty {
                    try start(pending.removeFirst())
                    continue
                }
                let room = config.maxTrials.map { $0 - total } ?? Int.max
                if room <= 0 || strategy.isExhausted { break }
                let archs = try strategy.ask(count: min(room, config.concurrency - running.count))
                if archs.isEmpty { break }
                let texts = try archs.map { try ArchitectureJSON.write($0, space: searchSpace, format: .nniV3) }
                pending += try store.addTrials(texts, checkpoint: try strategy.saveState())
                total += archs.count
            }
            if running.isEmpty && (startsHalted || consecutiveStartFailures >= maxStartFailures) {
                endReason = "infrastructure-error"
                break
            }
            if running.isEmpty && pending.isEmpty {
                if let m = config.maxTrials, total >= m { endReason = "max-trials" }
                else { endReason = "exhausted" }  // exhausted, or it proposed nothing with nothing pending
                break
            }
            var wake = Date().addingTimeInterval(0.25)
            if let deadline, deadline < wake { wake = deadline }
            for e in events.drain(waitingUntil: wake) { try handle(e) }
            enforceTimeouts()
            try reapStragglers()
            if let n = TrialEngineConfig.failFastCount(config.engine), sessionOutcomes.succeeded == 0, sessionOutcomes.failed >= n {
                endReason = "failing"
                try stopAll(reason: "interrupted: the experiment stopped because its first \(n) trials failed")
                break
            }
            if Date().timeIntervalSince(lastTick) >= 0.25 {
                lastTick = Date()
                try store.setElapsed(elapsed())
                if let observer { observer.tick(try snapshot(elapsed: elapsed())) }
            }
        }
        let reason = endReason ?? (interruptedBy != nil ? "interrupted" : "exhausted")
        if interruptedBy != nil {
            // Left running (as after kill -9), so `--resume` continues it.
            try store.setElapsed(elapsed())
        } else {
            try store.finish(reason: reason, elapsed: elapsed())
        }
        let trials = try store.trials()
        var summary = ExperimentSummary(endReason: reason, succeeded: trials.filter { $0.status.hasResult }.count,
                                        failed: trials.filter { $0.status == .failed }.count,
                                        unfinished: trials.filter { !$0.status.isFinished }.count, total: trials.count,
                                        best: try store.top(1).first, elapsed: elapsed())
        summary.infrastructureErrors = infrastructureErrors
        summary.lastInfrastructureError = lastInfrastructureError
        summary.interruptedBy = interruptedBy
        summary.stopped = trials.filter { $0.status == .stopped }.count
        if config.earlyStop != nil {
            summary.epochsRun = try trials.filter { $0.status.isFinished }.reduce(0) { $0 + (try store.intermediates($1.id).count) }
        }
        return summary
    }

    // MARK: - Trials

    func start(_ id: Int) throws {
        guard let record = try store.trial(id) else { return }
        let archPath = Experiment.architecturePath(store.directory, trial: id)
        let arch = try ArchitectureJSON.read(record.architectureJSON, space: searchSpace, file: archPath)
        var entry = Running(process: nil, architecture: arch, attempt: record.attempts + 1)
        if !config.budget.isUnlimited {
            let rejection: String?
            do { rejection = try config.budget.check(arch, in: space) } catch let e as DiagnosticError {
                rejection = "cannot cost the subnet: \(e.diagnostics.first?.message ?? "invalid")"
            }
            if let rejection {
                try store.markRunning(id, pid: nil)
                try finish(id, entry, .failed(reason: rejection))
                return
            }
        }
        do {
            try Data(record.architectureJSON.utf8).write(to: URL(fileURLWithPath: archPath), options: .atomic)
        } catch {
            try startFailed(id, TrialStartError(what: "cannot write \(archPath)", error: error))
            return
        }
        let launch = TrialLaunch(trial: id, attempt: entry.attempt, directory: absoluteDirectory,
                                 spacePath: Experiment.spacePath(absoluteDirectory),
                                 architecturePath: Experiment.architecturePath(absoluteDirectory, trial: id),
                                 logPath: Experiment.logPath(absoluteDirectory, trial: id), seed: config.seed,
                                 evaluatorArguments: config.evaluatorArguments)
        let process: any TrialHandle
        do {
            guard let launcher else { throw CocoaError(.featureUnsupported) }
            process = try launcher.makeTrial(launch)
            try process.start(events: events)
        } catch {
            try startFailed(id, error as? TrialStartError ?? TrialStartError(what: "cannot start the trial process", errno: 0,
                                                                                  detail: "\(error)"))
            return
        }
        consecutiveStartFailures = 0
        entry.process = process
        running[id] = entry
        try store.markRunning(id, pid: process.processID.map(Int.init), at: process.spawnedAt)
        observer?.trialStarted(id, attempt: entry.attempt, pid: process.processID ?? 0)
    }

    /// A trial process could not be started: an infrastructure error, not the trial's. The trial stays queued
    /// (first in line) and is retried after a growing delay; a failure other than a resource limit stops new starts.
    func startFailed(_ id: Int, _ error: TrialStartError) throws {
        infrastructureErrors += 1
        consecutiveStartFailures += 1
        lastInfrastructureError = error.description
        pending.insert(id, at: 0)
        try store.markInterrupted(id, reason: "not started (infrastructure error, retried): \(error.description)")
        if error.isResourceLimit {
            let factor = Double(1 << min(3, consecutiveStartFailures - 1))
            startBlockedUntil = Date().addingTimeInterval(startRetryDelay * factor)
            observer?.note("trial \(id) could not start: \(error.description); retrying")
        } else {
            startsHalted = true
            observer?.note("trial \(id) could not start: \(error.description); no further trials are started")
        }
    }

    /// Stops trials past `--trial-timeout` or silent for `--stall-timeout` (SIGTERM, then SIGKILL after `killGrace`);
    /// their exit is then recorded as a failure with the reason.
    func enforceTimeouts() {
        let now = Date()
        for id in running.keys.sorted() {
            guard var entry = running[id], let process = entry.process, !entry.finished else { continue }
            if let t = entry.terminatedAt {
                if now.timeIntervalSince(t) > killGrace { process.signal(SIGKILL) }
                continue
            }
            var reason: String?
            if let limit = config.trialTimeout, now.timeIntervalSince(entry.startedAt) > limit {
                reason = "timed out: still running after \(DurationParser.describe(limit)) (--trial-timeout)"
            } else if let limit = config.stallTimeout, now.timeIntervalSince(entry.lastMessageAt) > limit {
                reason = "stalled: no message for \(DurationParser.describe(limit)) (--stall-timeout)"
            }
            guard let reason else { continue }
            entry.killedReason = reason
            entry.terminatedAt = now
            running[id] = entry
            process.signal(SIGTERM)
            observer?.note("trial \(id) \(reason); stopping it")
        }
    }

    /// Records the outcome, tells the strategy, and stores both with the checkpoint in one transaction.
    func finish(_ id: Int, _ entry: Running, _ result: TrialResult) throws {
        let outcome: TrialOutcome
        switch result {
        case .succeeded(let m, _, _, _, _, _): outcome = .succeeded(metric: m)
        case .failed(let r): outcome = .failed(reason: r)
        }
        let checkpoint: [UInt8]
        do {
            try strategy.tell(entry.architecture, outcome: outcome)
            checkpoint = try strategy.saveState()
        } catch {
            // The result is kept (untold) and fed to the restored strategy by --resume.
            try store.finishTrial(id, result, checkpoint: nil)
            throw error
        }
        try store.finishTrial(id, result, checkpoint: checkpoint)
        if case .succeeded = outcome { sessionOutcomes.succeeded += 1 } else { sessionOutcomes.failed += 1 }
        if let observer, let record = try store.trial(id) { observer.trialFinished(record) }
    }

    func handle(_ event: TrialProcessEvent) throws {
        switch event {
        case .line(let id, let text):
            guard var entry = running[id] else { return }
            defer { running[id] = entry }
            entry.lastMessageAt = Date()
            let message: TrialMessage
            do {
                message = try TrialMessage.parse(text)
            } catch let m as TrialMessage.Malformed {
                if entry.badOutput == nil && !entry.finished {
                    entry.badOutput = m.reason
                    entry.process?.signal(SIGKILL)
                }
                return
            }
            guard !entry.finished else { return }
            // Once stopped early, whatever the process still says (later epochs already in the pipe, even a final
            // metric) is ignored: the trial's result is its metric at the epoch it was stopped.
            if entry.stoppedAt != nil { return }
            switch message {
            case .overhead(let startedAt, let load, let spec, let comp, let params, let flops):
                let startMs = entry.process.map { max(0, (startedAt - $0.spawnedAt) * 1000) }
                try store.recordOverhead(id, TrialOverhead(processStartMs: startMs, loadMs: load, specializeMs: spec, compileMs: comp),
                                         params: params, flops: flops)
            case .intermediate(let epoch, let metric):
                try store.recordIntermediate(id, epoch: epoch, metric: metric)
                entry.progress = (epoch, metric)
                entry.curve.append(metric)
                observer?.trialProgress(id, epoch: epoch, metric: metric)
                if entry.stoppedAt == nil, entry.killedReason == nil, earlyStopping?.shouldStop(trial: id, curve: entry.curve) == true {
                    // Its last metric becomes its result once the process has exited (see `.exited`).
                    entry.stoppedAt = epoch
                    entry.terminatedAt = Date()
                    entry.process?.signal(SIGTERM)
                }
            case .final(let metric, let params, let flops, let loss, let test):
                entry.finished = true
                entry.finishedAt = Date()
                // A trial that completed (even one the rule stopped a moment too late) is a completed curve.
                earlyStopping?.completed(trial: id, curve: entry.curve)
                try finish(id, entry, .succeeded(metric: metric, params: params, flops: flops, loss: loss, test: test))
            case .error(let kind, let msg):
                entry.error = kind == "error" ? msg : "\(kind): \(msg)"
            }
        case .exited(let id, let status, let signal):
            guard let entry = running.removeValue(forKey: id), !entry.finished else { return }
            if let stop = stopRequest.signal, entry.killedReason == nil {
                // Ended by the same interruption (a terminal's Ctrl-C reaches the whole process group): not a result.
                try interrupt(id, reason: "interrupted: \(Self.signalName(stop) ?? "signal \(stop)") received")
                return
            }
            if let epoch = entry.stoppedAt, let metric = entry.curve.last {
                // Stopped early: a result, with the epoch it reached.
                try finish(id, entry, .succeeded(metric: metric, params: nil, flops: nil, stoppedEpoch: epoch))
                return
            }
            if let lost = entry.process?.lostReason {
                // The engine lost the trial: not a result. It stays unfinished and the experiment stops here.
                try interrupt(id, reason: "interrupted: \(lost)")
                throw DiagnosticError(.error(lost, at: SourceLocation(file: "--ray-address")))
            }
            let exit = entry.process?.normalizedExit(status: status, signal: signal) ?? (status: status, signal: signal)
            var reason = Self.failureReason(entry, status: exit.status, signal: exit.signal)
            // A trial that ended without a word: the last line of its stderr usually says why.
            if entry.killedReason == nil, entry.badOutput == nil, entry.error == nil, exit.signal == nil,
               let context = entry.process?.failureContext() { reason += ": \(context)" }
            try finish(id, entry, .failed(reason: reason))
        }
    }

    /// Frees slots held by processes that will not report: one that reported its result but does not exit
    /// (killed after `lingerLimit`), and one that ended while something else keeps its output open (its exit is
    /// taken from /proc after `exitWait`).
    func reapStragglers() throws {
        for id in running.keys.sorted() {
            guard var entry = running[id], let process = entry.process else { continue }
            if let t = entry.finishedAt, Date().timeIntervalSince(t) > lingerLimit { process.signal(SIGKILL) }
            guard let exit = process.endedExit() else { continue }
            let seen = entry.endedSeen ?? Date()
            entry.endedSeen = seen
            running[id] = entry
            if Date().timeIntervalSince(seen) > exitWait {
                try handle(.exited(trial: id, status: exit.status, signal: exit.signal))
            }
        }
    }

    static func failureReason(_ e: Running, status: Int32, signal: Int32?) -> String {
        if let k = e.killedReason { return k }
        if let b = e.badOutput { return "bad output: \(b)" }
        if let signal { return "crashed: killed by signal \(signal)\(signalName(signal).map { " (\($0))" } ?? "")" + (e.error.map { "; \($0)" } ?? "") }
        if let err = e.error { return err }
        if status != 0 { return "exited with status \(status) without a result" }
        return "exited without reporting a final metric"
    }

    static func signalName(_ s: Int32) -> String? {
        [SIGABRT: "SIGABRT", SIGSEGV: "SIGSEGV", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS",
         SIGILL: "SIGILL", SIGFPE: "SIGFPE", SIGINT: "SIGINT", SIGTRAP: "SIGTRAP", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT"][s]
    }

    /// Stops every running trial at the duration limit: SIGTERM, SIGKILL after the grace period. A trial that
    /// reported its final metric in the meantime is recorded as usual; every other one is put back in the queue
    /// as unfinished (never a final failure, never told to the strategy), so `--resume` retries it.
    func stopAll(reason: String) throws {
        for id in running.keys.sorted() {
            running[id]?.killedReason = reason
            running[id]?.process?.signal(SIGTERM)
        }
        let killAt = Date().addingTimeInterval(killGrace)
        let giveUpAt = killAt.addingTimeInterval(exitWait)
        var killed = false
        while !running.isEmpty {
            let now = Date()
            if now >= giveUpAt { break }
            if !killed && now >= killAt {
                for entry in running.values { entry.process?.signal(SIGKILL) }
                killed = true
            }
            for e in events.drain(waitingUntil: min(killed ? giveUpAt : killAt, now.addingTimeInterval(0.1))) {
                // An exit is an interruption, not a result; only a final metric that arrives in time is recorded.
                if case .exited(let id, _, _) = e, let entry = running[id], !entry.finished {
                    running.removeValue(forKey: id)
                    try interrupt(id, reason: reason)
                    continue
                }
                try handle(e)
            }
        }
        // Processes that did not even die from SIGKILL in time are left unfinished anyway; the loop never hangs.
        for (id, entry) in running.sorted(by: { $0.key < $1.key }) where !entry.finished {
            try interrupt(id, reason: reason)
        }
        running.removeAll()
    }

    /// Records a trial cut off by a limit as unfinished (queued for `--resume`).
    func interrupt(_ id: Int, reason: String) throws {
        try store.markInterrupted(id, reason: reason)
        observer?.note("trial \(id) \(reason); unfinished, retried by --resume")
    }

    /// Stops trials an interrupted session left behind (the launcher knows how to recognise its own).
    func killOrphans() {
        guard let trials = try? store.trials() else { return }
        launcher?.stopOrphans(trials, directory: absoluteDirectory)
    }

    func snapshot(elapsed: Double) throws -> ExperimentSnapshot {
        let trials = try store.trials()
        var best: (Int, Double)?
        if let t = trials.filter({ $0.status.hasResult && $0.finalMetric != nil }).min(by: { $0.ranks(before: $1) }),
           let m = t.finalMetric {
            best = (t.id, m)
        }
        return ExperimentSnapshot(
            running: running.mapValues { $0.progress }, succeeded: trials.filter { $0.status == .succeeded }.count,
            failed: trials.filter { $0.status == .failed }.count, queued: pending.count, total: trials.count,
            best: best.map { (id: $0.0, metric: $0.1) }, elapsed: elapsed, maxTrials: config.maxTrials, maxDuration: config.maxDuration)
    }
}
