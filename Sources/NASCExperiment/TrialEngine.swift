// TrialEngine: what runs each trial (`nasc trial` or the user's command) and where (local processes or Ray jobs).
import Foundation
import NASCIR

/// Where trials run.
public enum TrialEngineKind: String, Codable, Sendable, CaseIterable {
    /// A pool of local processes (the default).
    case local
    /// One Ray job per trial, submitted through the Ray Jobs REST API.
    case ray
}

/// How an experiment runs its trials, stored with the experiment (so `--resume` uses the same).
///
/// - `trialCommand == nil`: each trial is `nasc trial SPACE ARCH --trial-id N <evaluator flags>`.
/// - `trialCommand != nil`: each trial is `/bin/sh -c COMMAND` in `workingDirectory`, with `NASC_ARCH_FILE`,
///   `NASC_TRIAL_ID`, `NASC_TRIAL_DIR`, `NASC_SPACE_FILE`, `NASC_SEARCH_SPACE_FILE`, `NASC_SEED` and `NASC_BIN`
///   in its environment; it prints the same JSON lines as `nasc trial` (see ``TrialMessage``).
public struct TrialEngineConfig: Codable, Sendable, Equatable {
    /// Local processes or Ray jobs.
    public var engine: TrialEngineKind
    /// The user's trial command (a shell command line), or `nil` for `nasc trial`.
    public var trialCommand: String?
    /// The absolute directory the trial command runs in (where `nasc run` was started).
    public var workingDirectory: String?
    /// The Ray dashboard address (`http://HOST:8265`), for the `ray` engine.
    public var rayAddress: String?
    /// CPUs Ray reserves for each trial job (`entrypoint_num_cpus`).
    public var rayCPUs: Double

    /// Creates an engine configuration (the default: local `nasc trial` processes).
    public init(engine: TrialEngineKind = .local, trialCommand: String? = nil, workingDirectory: String? = nil,
                rayAddress: String? = nil, rayCPUs: Double = 1) {
        self.engine = engine; self.trialCommand = trialCommand; self.workingDirectory = workingDirectory
        self.rayAddress = rayAddress; self.rayCPUs = rayCPUs
    }

    /// The per-trial seed handed to a trial command: the experiment seed plus the trial id (same on every retry).
    public static func trialSeed(experimentSeed: UInt64, trial: Int) -> UInt64 { experimentSeed &+ UInt64(trial) }

    /// A trial command or a Ray engine can be broken for every trial (a typo, a missing file on the nodes): the
    /// session stops after this many failures with no success (`nasc run` exits 1). `nil` for local `nasc trial`.
    public static func failFastCount(_ c: TrialEngineConfig) -> Int? {
        c.trialCommand != nil || c.engine == .ray ? 3 : nil
    }

    /// The flag a whole-experiment failure of this engine is reported at.
    public var flag: String { trialCommand != nil ? "--trial-command" : engine == .ray ? "--engine" : "--strategy" }

    /// Checks the settings; errors are located at the flag.
    public func validate() throws {
        if let c = trialCommand {
            guard !c.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DiagnosticError(.error("the trial command is empty", at: SourceLocation(file: "--trial-command")))
            }
            try TrialCommandCheck.check(c, workingDirectory: workingDirectory)
        }
        switch engine {
        case .local:
            if rayAddress != nil {
                throw DiagnosticError(.error("--ray-address needs --engine ray", at: SourceLocation(file: "--ray-address")))
            }
        case .ray:
            guard let a = rayAddress else {
                throw DiagnosticError(.error("--engine ray needs --ray-address http://HOST:8265", at: SourceLocation(file: "--ray-address")))
            }
            _ = try RayJobsClient.baseURL(a)
            guard rayCPUs.isFinite && rayCPUs > 0 && rayCPUs <= 1024 else {
                throw DiagnosticError(.error("must be a number of CPUs in (0, 1024], got \(rayCPUs)", at: SourceLocation(file: "--ray-cpus")))
            }
        }
    }
}

/// Checks that a trial command's program exists and is executable before any trial runs.
public enum TrialCommandCheck {
    /// Shell words that are not programs (builtins and keywords): the command is then left to the shell.
    static let shellWords: Set<String> = ["cd", "exec", "export", "set", "test", "[", "if", "for", "while", "case", "{", "(",
                                          "eval", ".", "source", "env", "time", "nice", "nohup", "true", "false", "echo", "printf",
                                          "exit", "trap", "ulimit", "umask", "read", "wait", "sleep"]

    /// Throws a one-line error at `--trial-command` when the command's first word names a program that is not on
    /// `PATH` (or, with a `/`, a file that is missing or not executable). Leading `VAR=value` words are skipped.
    public static func check(_ command: String, workingDirectory: String?) throws {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard var program = words.first(where: { !isAssignment($0) }) else { return }
        if let q = program.first, q == "'" || q == "\"", program.count >= 2, program.last == q {
            program = String(program.dropFirst().dropLast())
        }
        if shellWords.contains(program) || program.contains("$") || program.contains("`") { return }
        let location = SourceLocation(file: "--trial-command")
        let fm = FileManager.default
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : Experiment.join(workingDirectory ?? fm.currentDirectoryPath, program)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                throw DiagnosticError(.error("'\(program)' does not exist", at: location))
            }
            guard !isDir.boolValue, fm.isExecutableFile(atPath: path) else {
                throw DiagnosticError(.error("'\(program)' is not an executable file (chmod +x, or run it with its interpreter)", at: location))
            }
            return
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where fm.isExecutableFile(atPath: Experiment.join(String(dir), program)) { return }
        throw DiagnosticError(.error("'\(program)': command not found on PATH", at: location))
    }

    static func isAssignment(_ word: String) -> Bool {
        guard let eq = word.firstIndex(of: "="), eq != word.startIndex else { return false }
        return word[..<eq].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
