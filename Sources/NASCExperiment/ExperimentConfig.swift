// ExperimentConfig: what an experiment was started with (space, strategy, limits, evaluator flags).
import Foundation

/// The settings of an experiment, stored once in its store and reused by `nasc run --resume`.
public struct ExperimentConfig: Sendable, Equatable {
    /// The space file as the user named it (for display; trials read the copy in the directory).
    public var spacePath: String
    /// ``Experiment/hash(_:)`` of the space file's bytes when the experiment was created.
    public var spaceHash: String
    /// The strategy's command-line name (`random`, `grid`, `evolution`, `tpe`).
    public var strategy: String
    /// Strategy options (`--strategy-option key=value`).
    public var strategyOptions: [String: String]
    /// The strategy's seed.
    public var seed: UInt64
    /// Trial processes running at once (at least 1).
    public var concurrency: Int
    /// Stop asking for new trials once this many exist (`nil`: no limit).
    public var maxTrials: Int?
    /// Wall-clock budget in seconds over all sessions of the experiment (`nil`: no limit).
    public var maxDuration: Double?
    /// Reject architectures with more trainable parameters than this before evaluating them.
    public var maxParams: Int?
    /// Reject architectures with more FLOPs per sample than this before evaluating them.
    public var maxFlops: Int?
    /// Evaluator flags passed verbatim to every `nasc trial` process (e.g. `--benchmark synthetic:1`).
    public var evaluatorArguments: [String]
    /// A trial still running this many seconds after it started is killed and fails (`nil`: no limit).
    public var trialTimeout: Double?
    /// A trial that sends no message (start-up report, epoch, result) for this many seconds is killed and fails
    /// as stalled (`nil`: no limit).
    public var stallTimeout: Double?

    /// `--trial-timeout` when not given: 6 hours (a long training trial, far beyond any benchmark one).
    public static let defaultTrialTimeout: Double = 6 * 3600
    /// `--stall-timeout` when not given: 30 minutes without a message (trials report after compiling and after
    /// every epoch, so only an epoch longer than this needs a larger value).
    public static let defaultStallTimeout: Double = 30 * 60
    /// What runs each trial and where (local `nasc trial` processes by default).
    public var engine = TrialEngineConfig()
    /// The early-stopping rule (`--early-stop median|asha`, resolved options), if any (see ``EarlyStopping``).
    public var earlyStop: EarlyStopSpec?

    /// Creates a configuration.
    public init(spacePath: String, spaceHash: String, strategy: String, strategyOptions: [String: String] = [:],
                seed: UInt64 = 0, concurrency: Int = 1, maxTrials: Int? = nil, maxDuration: Double? = nil,
                maxParams: Int? = nil, maxFlops: Int? = nil, evaluatorArguments: [String] = [],
                trialTimeout: Double? = ExperimentConfig.defaultTrialTimeout,
                stallTimeout: Double? = ExperimentConfig.defaultStallTimeout) {
        self.spacePath = spacePath; self.spaceHash = spaceHash; self.strategy = strategy
        self.strategyOptions = strategyOptions; self.seed = seed; self.concurrency = concurrency
        self.maxTrials = maxTrials; self.maxDuration = maxDuration; self.maxParams = maxParams
        self.maxFlops = maxFlops; self.evaluatorArguments = evaluatorArguments
        self.trialTimeout = trialTimeout; self.stallTimeout = stallTimeout
    }

    /// The budget the runner checks before starting a trial.
    public var budget: Budget { Budget(maxParams: maxParams, maxFlops: maxFlops) }
}

/// An early-stopping rule as stored: its name and every option (defaults resolved at creation).
public struct EarlyStopSpec: Codable, Sendable, Equatable {
    public var name: String
    public var options: [String: String]
    /// Creates a spec.
    public init(name: String, options: [String: String] = [:]) { self.name = name; self.options = options }
}

/// Changes to the limits allowed when resuming (`nasc run --resume DIR --max-trials 50`).
public struct LimitOverrides: Sendable, Equatable {
    public var concurrency: Int?
    public var maxTrials: Int?
    public var maxDuration: Double?
    /// A new `--trial-timeout` (`.some(nil)`: none).
    public var trialTimeout: Double??
    /// A new `--stall-timeout` (`.some(nil)`: none).
    public var stallTimeout: Double??
    /// No overrides.
    public init(concurrency: Int? = nil, maxTrials: Int? = nil, maxDuration: Double? = nil,
                trialTimeout: Double?? = nil, stallTimeout: Double?? = nil) {
        self.concurrency = concurrency; self.maxTrials = maxTrials; self.maxDuration = maxDuration
        self.trialTimeout = trialTimeout; self.stallTimeout = stallTimeout
    }
}
