// TrialLauncher: the engine abstraction of the experiment loop — starts one trial attempt and hands back a handle.
import Foundation

/// Everything a launcher needs to start one attempt of a trial (paths are absolute).
public struct TrialLaunch: Sendable {
    /// The trial id.
    public var trial: Int
    /// 1 for the first attempt, 2 for the first retry, ...
    public var attempt: Int
    /// The experiment directory.
    public var directory: String
    /// `DIR/space.pb`.
    public var spacePath: String
    /// `DIR/trials/<id>.json` (NNI v3 JSON).
    public var architecturePath: String
    /// `DIR/trials/<id>.log`: the trial's standard error (rewritten for each attempt).
    public var logPath: String
    /// The experiment's seed.
    public var seed: UInt64
    /// Evaluator flags for `nasc trial`.
    public var evaluatorArguments: [String]
}

/// One running trial attempt, local or remote. Its events (output lines, then the end) go to the queue given to
/// `start`; the loop never blocks on it.
public protocol TrialHandle: AnyObject {
    /// The trial id.
    var trial: Int { get }
    /// The local process id, or `nil` when the trial does not run here (a Ray job).
    var processID: Int32? { get }
    /// When the trial was started (seconds since 1970).
    var spawnedAt: Double { get }
    /// Starts it; posts `.line` events, then exactly one `.exited`.
    func start(events: EventQueue<TrialProcessEvent>) throws
    /// SIGTERM asks the trial to stop, SIGKILL forces it.
    func signal(_ sig: Int32)
    /// The exit of a trial whose end was not reported (see ``TrialProcess/endedExit()``), else `nil`.
    func endedExit() -> (status: Int32, signal: Int32?)?
    /// Set when the engine lost the trial (e.g. a Ray job that disappeared): the experiment stops with this
    /// error and the trial stays unfinished, retried by `--resume`.
    var lostReason: String? { get }
    /// A short excerpt of the trial's own diagnostics (the last line of its log) to add to a failure reason.
    func failureContext() -> String?
    /// The exit as the trial itself ended (a shell reports a child killed by signal N as status 128+N).
    func normalizedExit(status: Int32, signal: Int32?) -> (status: Int32, signal: Int32?)
}

extension TrialHandle {
    public func normalizedExit(status: Int32, signal: Int32?) -> (status: Int32, signal: Int32?) { (status, signal) }
}

/// Starts trials for the experiment loop: the local `nasc trial` pool, a user command, or Ray jobs.
public protocol TrialLauncher {
    /// Checks that the engine can run trials at all (called once per session, before the first trial).
    func prepare() throws
    /// Makes the handle for one attempt (not started yet).
    func makeTrial(_ launch: TrialLaunch) throws -> any TrialHandle
    /// Stops what an interrupted session left running for these trials (recorded as running in the store).
    func stopOrphans(_ trials: [TrialRecord], directory: String)
}

/// Makes the launcher an engine configuration names.
public enum TrialLaunchers {
    /// The launcher for `config`; `nascExecutable` runs `nasc trial` (locally, or as a Ray job's entrypoint).
    public static func make(_ config: TrialEngineConfig, nascExecutable: String) throws -> any TrialLauncher {
        switch config.engine {
        case .local:
            if let command = config.trialCommand {
                return CommandTrialLauncher(command: command, workingDirectory: config.workingDirectory, nascExecutable: nascExecutable)
            }
            return LocalTrialLauncher(nascExecutable: nascExecutable)
        case .ray:
            return try RayTrialLauncher(config: config, nascExecutable: nascExecutable)
        }
    }

    /// The environment a trial command sees (besides the inherited one).
    public static func commandEnvironment(_ l: TrialLaunch, trialDirectory: String, nascExecutable: String) -> [String: String] {
        ["NASC_ARCH_FILE": l.architecturePath, "NASC_TRIAL_ID": String(l.trial), "NASC_TRIAL_DIR": trialDirectory,
         "NASC_SPACE_FILE": l.spacePath, "NASC_SEARCH_SPACE_FILE": Experiment.searchSpacePath(l.directory),
         "NASC_SEED": String(TrialEngineConfig.trialSeed(experimentSeed: l.seed, trial: l.trial)),
         "NASC_ATTEMPT": String(l.attempt), "NASC_BIN": nascExecutable]
    }

    /// `nasc trial` arguments for a launch.
    public static func trialArguments(_ l: TrialLaunch) -> [String] {
        ["trial", l.spacePath, l.architecturePath, "--trial-id", String(l.trial)] + l.evaluatorArguments
    }

    /// The last non-empty line of a log file (at most 200 characters), for failure reasons.
    static func lastLogLine(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        try? h.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let text = String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
        guard let line = text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let s = line.trimmingCharacters(in: .whitespaces)
        return s.count > 200 ? String(s.prefix(197)) + "..." : s
    }
}

/// The embedded default: each trial is a local `nasc trial` process.
public struct LocalTrialLauncher: TrialLauncher {
    /// The `nasc` executable.
    public var nascExecutable: String

    /// Creates the launcher.
    public init(nascExecutable: String) { self.nascExecutable = nascExecutable }

    public func prepare() throws {}

    public func makeTrial(_ launch: TrialLaunch) throws -> any TrialHandle {
        let process = TrialProcess(trial: launch.trial, executable: nascExecutable, arguments: TrialLaunchers.trialArguments(launch),
                                   logPath: launch.logPath)
        // The trial's supervisor compares its parent with this pid: one that died before the trial looked is noticed too.
        var env = ProcessInfo.processInfo.environment
        env[Self.runnerPIDVariable] = String(getpid())
        process.process.environment = env
        return process
    }

    /// The environment variable that gives a `nasc trial` process the pid of the `nasc run` that started it.
    public static let runnerPIDVariable = "NASC_RUN_PID"

    /// Kills `nasc trial` processes of this experiment (only processes whose command line names the trial's
    /// architecture file, so a reused pid is never hit).
    public func stopOrphans(_ trials: [TrialRecord], directory: String) {
        for t in trials where t.status == .running {
            guard let pid = t.pid, pid > 0,
                  let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { continue }
            let args = cmd.split(separator: "\0").map(String.init)
            if args.contains("trial") && args.contains(Experiment.architecturePath(directory, trial: t.id)) {
                kill(pid_t(pid), SIGKILL)
            }
        }
    }
}

extension TrialProcess: TrialHandle {
    public var processID: Int32? { pid }
    public var lostReason: String? { nil }
    public func failureContext() -> String? { nil }
}
