// OneShotOptionTable: the `--strategy-option` keys each one-shot strategy reads, declared once per strategy as a
// table of (key, kind, setting) rows. `OneShotTool` applies a table to the strategy's config; options with their own
// syntax (lists, enumerations) or cross-checks stay next to the strategy's set-up.
import NASCStrategies

/// One `--strategy-option KEY=VALUE` of a one-shot strategy: its key and how its value is written into config `C`.
struct OneShotOption<C> {
    /// The option's key, e.g. `arch_lr`.
    let key: String
    /// Reads the option (if given) and writes it into the config.
    let apply: (inout C, inout OneShotOptions) throws -> Void

    /// A non-negative number option.
    static func double(_ key: String, _ setting: WritableKeyPath<C, Double>) -> Self {
        Self(key: key) { c, o in if let v = try o.double(key) { c[keyPath: setting] = v } }
    }

    /// A non-negative number option of a setting that may be unset.
    static func double(_ key: String, _ setting: WritableKeyPath<C, Double?>) -> Self {
        Self(key: key) { c, o in if let v = try o.double(key) { c[keyPath: setting] = v } }
    }

    /// A non-negative integer option.
    static func int(_ key: String, _ setting: WritableKeyPath<C, Int>) -> Self {
        Self(key: key) { c, o in if let v = try o.int(key) { c[keyPath: setting] = v } }
    }

    /// A true/false option.
    static func bool(_ key: String, _ setting: WritableKeyPath<C, Bool>) -> Self {
        Self(key: key) { c, o in if let v = try o.bool(key) { c[keyPath: setting] = v } }
    }
}

extension OneShotOptions {
    /// Applies every row of `table` to `config`.
    mutating func apply<C>(_ table: [OneShotOption<C>], to config: inout C) throws {
        for row in table { try row.apply(&config, &self) }
    }
}

/// The declared options of each one-shot strategy.
enum OneShotOptionTable {
    /// DARTS and GumbelDARTS (`hard` is GumbelDARTS's only).
    static var darts: [OneShotOption<DartsConfig>] { [
        .bool("unrolled", \.unrolled), .double("xi", \.xi), .double("arch_lr", \.archLR), .double("alpha_init_std", \.alphaInitStd),
        .int("early_stop_skips", \.earlyStopSkips), .double("aux_skip_beta", \.auxSkipBeta),
        .double("temperature_init", \.temperatureInit), .double("temperature_min", \.temperatureMin),
    ] }
    /// GumbelDARTS's own options, after ``darts``.
    static var gumbel: [OneShotOption<DartsConfig>] { [.bool("hard", \.hard)] }

    /// P-DARTS's scalar options (its lists are read by `readPDarts`).
    static var pdarts: [OneShotOption<PDartsConfig>] { [
        .int("warmup_epochs", \.warmupEpochs), .double("dropout_decay", \.dropoutDecay), .int("max_skips", \.maxSkips),
        .double("arch_lr", \.darts.archLR), .double("alpha_init_std", \.darts.alphaInitStd),
    ] }

    /// CDARTS.
    static var cdarts: [OneShotOption<CDARTSConfig>] { [
        .double("arch_lr", \.archLR), .double("alpha_init_std", \.alphaInitStd), .double("eval_lr", \.evalLR),
        .int("warmup_epochs", \.warmupEpochs), .double("loss_alpha", \.lossAlpha), .double("temperature", \.temperature),
        .double("grad_clip", \.gradClip), .double("regular_coeff", \.regularCoeff), .double("regular_ratio", \.regularRatio),
    ] }

    /// ProxylessNAS (`paths`, `paths_per_batch` and the latency options are read beside it).
    static var proxyless: [OneShotOption<ProxylessConfig>] { [
        .double("flops_penalty", \.flopsPenalty), .double("arch_lr", \.archLR), .double("alpha_init_std", \.alphaInitStd),
    ] }

    /// SPOS.
    static var spos: [OneShotOption<SPOSConfig>] { [
        .int("population", \.population), .int("generations", \.generations), .int("eval_paths", \.evalPaths),
        .int("calibration_batches", \.calibrationBatches), .bool("fair", \.strictFairness),
    ] }

    /// ENAS (`reward_bn` is read beside it).
    static var enas: [OneShotOption<ENASConfig>] { [
        .double("entropy_weight", \.entropyWeight), .double("baseline_decay", \.baselineDecay), .int("ctrl_steps", \.ctrlSteps),
        .int("ctrl_steps_aggregate", \.ctrlStepsAggregate), .int("export_samples", \.exportSamples),
        .int("calibration_batches", \.calibrationBatches), .int("paths_per_batch", \.pathsPerBatch),
    ] }
}
