// CommandTrialLauncher: trials in any language — each trial runs the user's shell command with NASC_* variables.
import Foundation

extension Experiment {
    /// `DIR/search_space.json`: the NNI search-space JSON of the space (for trial commands and external strategies).
    public static func searchSpacePath(_ directory: String) -> String { join(directory, "search_space.json") }
    /// `DIR/trials/<id>/`: a trial command's own directory (`NASC_TRIAL_DIR`), kept across retries.
    public static func trialDirectory(_ directory: String, trial id: Int) -> String { join(trialsDirectory(directory), String(id)) }
}

/// Runs `/bin/sh -c COMMAND` once per trial, in its own process group (so stopping a trial stops everything it started),
/// in the directory `nasc run` was started from, with the ``TrialLaunchers/commandEnvironment(_:trialDirectory:nascExecutable:)``
/// variables. Its stdout must be ``TrialMessage`` JSON lines, exactly as for `nasc trial`; stderr goes to the trial's log.
public struct CommandTrialLauncher: TrialLauncher {
    /// The shell command line.
    public var command: String
    /// Where it runs (`nil`: the current directory).
    public var workingDirectory: String?
    /// The `nasc` executable (`NASC_BIN`).
    public var nascExecutable: String

    /// Creates the launcher.
    public init(command: String, workingDirectory: String?, nascExecutable: String) {
        self.command = command; self.workingDirectory = workingDirectory; self.nascExecutable = nascExecutable
    }

    /// Checks again, at the start of every session (the command may have been fixed or broken since).
    public func prepare() throws { try TrialCommandCheck.check(command, workingDirectory: workingDirectory) }

    public func makeTrial(_ launch: TrialLaunch) throws -> any TrialHandle {
        let trialDir = Experiment.trialDirectory(launch.directory, trial: launch.trial)
        try Experiment.makeDirectory(trialDir)
        // Foundation starts every child as the leader of a new process group (POSIX_SPAWN_SETPGROUP), so the
        // shell's pid is the group id of everything the command starts.
        let process = TrialProcess(trial: launch.trial, executable: "/bin/sh", arguments: ["-c", command], logPath: launch.logPath)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in TrialLaunchers.commandEnvironment(launch, trialDirectory: trialDir, nascExecutable: nascExecutable) { env[k] = v }
        // Python trials must not buffer their reports.
        env["PYTHONUNBUFFERED"] = "1"
        process.process.environment = env
        if let workingDirectory { process.process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        return CommandTrial(process: process, logPath: launch.logPath)
    }

    /// Kills every process that carries one of these trials' `NASC_ARCH_FILE` in its environment (the shell and
    /// everything it started, even if the shell itself is gone).
    public func stopOrphans(_ trials: [TrialRecord], directory: String) {
        let running = trials.filter { $0.status == .running }
        guard !running.isEmpty else { return }
        let markers = running.map { Array(("NASC_ARCH_FILE=" + Experiment.architecturePath(directory, trial: $0.id)).utf8) }
        CommandTrialLauncher.killProcesses { environ in
            environ.split(separator: 0).contains { entry in markers.contains { $0.elementsEqual(entry) } }
        }
    }

    /// Sends SIGKILL to every process of this user whose environment block satisfies `matches`.
    static func killProcesses(where matches: ([UInt8]) -> Bool) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        let me = getpid()
        for e in entries {
            guard let pid = Int32(e), pid != me,
                  let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            if matches([UInt8](data)) { kill(pid, SIGKILL) }
        }
    }
}

/// A trial command's process: signals go to its whole process group.
final class CommandTrial: TrialHandle {
    let process: TrialProcess
    let logPath: String

    init(process: TrialProcess, logPath: String) { self.process = process; self.logPath = logPath }

    var trial: Int { process.trial }
    var processID: Int32? { process.pid }
    var spawnedAt: Double { process.spawnedAt }
    var lostReason: String? { nil }

    func start(events: EventQueue<TrialProcessEvent>) throws { try process.start(events: events) }

    func signal(_ sig: Int32) {
        let p = process.pid
        guard p > 0 else { return }
        // The group outlives its leader when the shell has exited and left children behind.
        if kill(-p, sig) != 0 { process.signal(sig) }
    }

    func endedExit() -> (status: Int32, signal: Int32?)? { process.endedExit() }

    func failureContext() -> String? { TrialLaunchers.lastLogLine(logPath) }

    /// `sh -c` exits with 128+N when the command it ran was killed by signal N.
    func normalizedExit(status: Int32, signal: Int32?) -> (status: Int32, signal: Int32?) {
        if signal == nil && status > 128 && status < 128 + 65 { return (status - 128, status - 128) }
        return (status, signal)
    }
}
