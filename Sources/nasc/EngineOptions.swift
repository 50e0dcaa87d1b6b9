// EngineOptions: `nasc run` flags that open the loop — the user's trial command, an external strategy, the Ray engine.
import ArgumentParser
import Foundation
import NASCExperiment

/// Where and how trials run, and an external strategy's command.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("trial-command"),
            help: "Run this shell command for each trial instead of `nasc trial` (env: NASC_ARCH_FILE, NASC_TRIAL_ID, NASC_TRIAL_DIR, NASC_SPACE_FILE, NASC_SEED; prints nasc trial's JSON lines).")
    var trialCommand: String?

    @Option(name: .customLong("strategy-command"),
            help: "With --strategy external: the strategy program, spoken to with ask/tell JSON lines on its stdin/stdout (docs/strategies.md).")
    var strategyCommand: String?

    @Option(help: "Where trials run: local (a process pool, default) or ray (one Ray job per trial; needs --ray-address).")
    var engine: String?

    @Option(name: .customLong("ray-address"), help: "The Ray dashboard (Jobs API) address, e.g. http://127.0.0.1:8265.")
    var rayAddress: String?

    @Option(name: .customLong("ray-cpus"), help: "CPUs Ray reserves for each trial job (entrypoint_num_cpus; default 1).")
    var rayCPUs: Double?

    /// True when any of these flags was given (none may change on --resume).
    var isEmpty: Bool { trialCommand == nil && strategyCommand == nil && engine == nil && rayAddress == nil && rayCPUs == nil }

    /// Checks the flags that need no file system or network.
    func validate(strategy: String?, evaluatorFlags: [String]) throws {
        if trialCommand != nil, let flag = evaluatorFlags.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("--trial-command runs your own evaluation: \(flag) and the other evaluator flags do not apply")
        }
        if let e = engine, TrialEngineKind(rawValue: e) == nil {
            throw ValidationError("--engine must be local or ray, got '\(e)'")
        }
        if strategyCommand != nil && strategy != "external" {
            throw ValidationError("--strategy-command needs --strategy external")
        }
        if strategy == "external" && strategyCommand == nil {
            throw ValidationError("--strategy external needs --strategy-command CMD")
        }
        try checkFlag("--ray-cpus", rayCPUs, .positive)
        if let c = rayCPUs, c > 1024 { throw ValidationError("--ray-cpus: error: must be at most 1024, got \(c)") }
    }

    /// The stored engine configuration (the trial command runs in the current directory).
    func config() -> TrialEngineConfig {
        TrialEngineConfig(engine: engine.flatMap(TrialEngineKind.init(rawValue:)) ?? .local, trialCommand: trialCommand,
                          workingDirectory: trialCommand == nil ? nil : FileManager.default.currentDirectoryPath,
                          rayAddress: rayAddress, rayCPUs: rayCPUs ?? 1)
    }
}
