// RayTrialLauncher: trials as Ray jobs — submit through the Jobs REST API, poll status and logs, stop on demand.
import Foundation
import NASCIR

/// Runs each trial as one Ray job: the entrypoint is `nasc trial ...` or the user's trial command (run in the
/// directory `nasc run` was started from), with the `NASC_*` variables in `runtime_env.env_vars` and
/// `entrypoint_num_cpus` reserved so Ray spreads jobs over the cluster's nodes and queues them when CPUs are busy.
/// Paths must be readable on every node (a shared file system; see docs/scale.md).
///
/// Only log lines that are JSON objects with a `type` are protocol messages; every other line (Ray's own, the
/// trial's stderr) goes to the trial's log file.
public struct RayTrialLauncher: TrialLauncher {
    let client: RayJobsClient
    let config: TrialEngineConfig
    let nascExecutable: String
    /// Distinguishes this session's submissions from earlier ones of the same trial attempt.
    let session = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    /// Seconds between polls of a running job.
    public var pollInterval: Double = 0.25

    /// Creates the launcher (no network access yet).
    public init(config: TrialEngineConfig, nascExecutable: String) throws {
        self.client = try RayJobsClient(address: config.rayAddress ?? "")
        self.config = config
        self.nascExecutable = nascExecutable
    }

    /// Fails with one line at `--ray-address` when the Jobs API does not answer.
    public func prepare() throws { _ = try client.version() }

    /// The key in every job's metadata that ties it to this experiment directory.
    static func experimentKey(_ directory: String) -> String { "nasc-" + Experiment.hash(Array(directory.utf8)) }

    public func makeTrial(_ launch: TrialLaunch) throws -> any TrialHandle {
        let key = Self.experimentKey(launch.directory)
        var env: [String: String] = ["PYTHONUNBUFFERED": "1"]
        let entrypoint: String
        if let command = config.trialCommand {
            let trialDir = Experiment.trialDirectory(launch.directory, trial: launch.trial)
            try Experiment.makeDirectory(trialDir)
            for (k, v) in TrialLaunchers.commandEnvironment(launch, trialDirectory: trialDir, nascExecutable: nascExecutable) { env[k] = v }
            entrypoint = (config.workingDirectory.map { "cd \(Self.quote($0)) && " } ?? "") + command
        } else {
            entrypoint = ([nascExecutable] + TrialLaunchers.trialArguments(launch)).map(Self.quote).joined(separator: " ")
        }
        return RayJob(client: client, trial: launch.trial, submissionID: "\(key)-t\(launch.trial)-a\(launch.attempt)-\(session)",
                      entrypoint: entrypoint, numCPUs: config.rayCPUs, env: env,
                      metadata: ["nasc_experiment": key, "nasc_trial": String(launch.trial), "nasc_attempt": String(launch.attempt)],
                      logPath: launch.logPath, pollInterval: pollInterval)
    }

    /// Stops every job of this experiment that is still pending or running (none of them should be at the start of
    /// a session: they were left by a session that was killed).
    public func stopOrphans(_ trials: [TrialRecord], directory: String) {
        let key = Self.experimentKey(directory)
        guard let jobs = try? client.list() else { return }
        for j in jobs where j.metadata["nasc_experiment"] == key && !j.isTerminal {
            if let id = j.submissionID { try? client.stop(id) }
        }
    }

    /// Single-quotes a word for `/bin/sh`.
    static func quote(_ s: String) -> String {
        if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:,+@".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// One trial attempt as a Ray job; a thread polls its status and logs and posts events like a local process.
final class RayJob: TrialHandle, @unchecked Sendable {
    let client: RayJobsClient
    let trial: Int
    let submissionID: String
    let entrypoint: String
    let numCPUs: Double
    let env: [String: String]
    let metadata: [String: String]
    let logPath: String
    let pollInterval: Double
    private let lock = NSLock()
    private var _lost: String?
    private var _spawnedAt: Double = 0
    private var stopping = false
    /// Seconds without any answer from the Jobs API before the job counts as lost (a head restart takes 20-30 s).
    let unreachableLimit: Double = 90

    init(client: RayJobsClient, trial: Int, submissionID: String, entrypoint: String, numCPUs: Double,
         env: [String: String], metadata: [String: String], logPath: String, pollInterval: Double) {
        self.client = client; self.trial = trial; self.submissionID = submissionID; self.entrypoint = entrypoint
        self.numCPUs = numCPUs; self.env = env; self.metadata = metadata; self.logPath = logPath; self.pollInterval = pollInterval
    }

    var processID: Int32? { nil }
    var spawnedAt: Double { lock.lock(); defer { lock.unlock() }; return _spawnedAt }
    var lostReason: String? { lock.lock(); defer { lock.unlock() }; return _lost }
    func endedExit() -> (status: Int32, signal: Int32?)? { nil }
    func failureContext() -> String? { TrialLaunchers.lastLogLine(logPath) }

    func setLost(_ reason: String) { lock.lock(); if _lost == nil { _lost = reason }; lock.unlock() }

    /// Submits the job, then polls it on a thread. A submission that fails makes the job lost (the experiment
    /// stops with that error; the trial stays unfinished).
    func start(events: EventQueue<TrialProcessEvent>) throws {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        lock.lock(); _spawnedAt = Date().timeIntervalSince1970; lock.unlock()
        let submitted: Bool
        do {
            _ = try client.submit(entrypoint: entrypoint, submissionID: submissionID, numCPUs: numCPUs, env: env, metadata: metadata)
            submitted = true
        } catch {
            setLost("cannot submit trial \(trial) to Ray at \(client.base.absoluteString): \(RayJobsClient.describe(error))")
            submitted = false
        }
        let thread = Thread { [self] in
            if submitted { poll(events) }
            events.post(.exited(trial: trial, status: exitStatus.0, signal: exitStatus.1))
        }
        thread.start()
    }

    private var exitStatus: (Int32, Int32?) = (1, nil)

    /// Polls until the job ends (or is lost), posting protocol lines and appending the rest to the log.
    private func poll(_ events: EventQueue<TrialProcessEvent>) {
        let log = FileHandle(forWritingAtPath: logPath)
        defer { try? log?.close() }
        var consumed = 0  // characters of the log already handled (complete lines only)
        var unreachableSince: Date?
        func consume(_ text: String, final: Bool) {
            let scalars = Array(text.unicodeScalars)
            guard scalars.count > consumed else { return }
            var chunk = String(String.UnicodeScalarView(scalars[consumed...]))
            if !final {
                guard let nl = chunk.lastIndex(of: "\n") else { return }
                chunk = String(chunk[...nl])
            }
            consumed += chunk.unicodeScalars.count
            for line in chunk.split(separator: "\n", omittingEmptySubsequences: true) {
                if Self.isMessage(line) {
                    events.post(.line(trial: trial, text: String(line)))
                } else {
                    log?.write(Data((line + "\n").utf8))
                }
            }
        }
        while true {
            Thread.sleep(forTimeInterval: pollInterval)
            do {
                guard let info = try client.info(submissionID) else {
                    setLost("Ray job \(submissionID) of trial \(trial) disappeared from \(client.base.absoluteString) (GET /api/jobs/\(submissionID): 404)")
                    return
                }
                unreachableSince = nil
                if let text = try client.logs(submissionID) { consume(text, final: info.isTerminal) }
                guard info.isTerminal else { continue }
                switch info.status {
                case "SUCCEEDED": exitStatus = (0, nil)
                case "STOPPED": exitStatus = (Int32(SIGTERM), Int32(SIGTERM))
                default:
                    let code = Int32(clamping: info.driverExitCode ?? 1)
                    if code < 0 { exitStatus = (-code, -code) }                  // killed by a signal
                    else if code > 128 && code < 160 { exitStatus = (code - 128, code - 128) }  // the shell's 128+signal
                    else { exitStatus = (code == 0 ? 1 : code, nil) }
                    if info.driverExitCode == nil, let m = info.message { log?.write(Data(("ray: " + m + "\n").utf8)) }
                }
                return
            } catch {
                let since = unreachableSince ?? Date()
                unreachableSince = since
                if Date().timeIntervalSince(since) >= unreachableLimit {
                    setLost("lost contact with Ray at \(client.base.absoluteString) while trial \(trial) ran: \(RayJobsClient.describe(error))")
                    try? client.stop(submissionID)
                    return
                }
            }
        }
    }

    /// True for a log line that is a JSON object with a `type` (a protocol message, well-formed or not).
    static func isMessage(_ line: Substring) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("{"), t.hasSuffix("}"),
              let obj = (try? JSONSerialization.jsonObject(with: Data(t.utf8))) as? [String: Any] else { return false }
        return obj["type"] != nil
    }

    /// Both signals stop the job (Ray sends SIGTERM, then SIGKILL after its own grace period). SIGTERM asks in the
    /// background; SIGKILL waits for the answer, so a `nasc run` that exits right after leaves no job running.
    func signal(_ sig: Int32) {
        lock.lock()
        let first = !stopping
        stopping = true
        lock.unlock()
        let client = self.client, id = submissionID
        if sig == SIGKILL {
            try? client.stop(id)
        } else if first {
            Thread { try? client.stop(id) }.start()
        }
    }
}
