// TrialRecord: one trial as the store keeps it (architecture, status, metrics, timings, overhead).

/// Where a trial is in its life.
public enum TrialStatus: String, Sendable, CaseIterable {
    /// Proposed by the strategy, not started (or interrupted and waiting for a retry).
    case queued
    /// A trial process is working on it.
    case running
    /// Finished with a final metric.
    case succeeded
    /// Finished without a metric (crash, divergence, bad output, budget, killed at a limit).
    case failed
    /// Stopped early by `--early-stop`: its last intermediate metric is its result (stored as `succeeded` with
    /// ``TrialRecord/stoppedEpoch``).
    case stopped

    /// True for succeeded and failed.
    public var isFinished: Bool { self == .succeeded || self == .failed || self == .stopped }
    /// True for succeeded and stopped: the trial has a metric the strategy was told.
    public var hasResult: Bool { self == .succeeded || self == .stopped }
}

/// The fixed per-trial costs, in milliseconds, as measured by the runner and the trial process.
public struct TrialOverhead: Sendable, Equatable {
    /// From spawning the process to the trial command starting its work (process start, argument parsing).
    public var processStartMs: Double?
    /// Reading the space file in the trial process.
    public var loadMs: Double?
    /// Fixing the architecture's choices (``SpecializePass``).
    public var specializeMs: Double?
    /// Compiling the fixed subnet (inline, dce, canonicalize, shape inference).
    public var compileMs: Double?

    /// Creates an overhead record.
    public init(processStartMs: Double? = nil, loadMs: Double? = nil, specializeMs: Double? = nil, compileMs: Double? = nil) {
        self.processStartMs = processStartMs; self.loadMs = loadMs; self.specializeMs = specializeMs; self.compileMs = compileMs
    }

    /// The sum of the known parts, or `nil` when nothing was measured.
    public var totalMs: Double? {
        let parts = [processStartMs, loadMs, specializeMs, compileMs].compactMap { $0 }
        return parts.isEmpty ? nil : parts.reduce(0, +)
    }
}

/// One trial row.
public struct TrialRecord: Sendable, Equatable {
    /// 1-based, in the order the strategy proposed the trials.
    public var id: Int
    /// The architecture in NNI v3 JSON (``ArchitectureJSON``).
    public var architectureJSON: String
    public var status: TrialStatus
    /// The final metric of a succeeded trial (higher is better).
    public var finalMetric: Double?
    /// The final validation loss of a succeeded trial, when its evaluator reported one (training does).
    public var finalLoss: Double?
    /// The held-out `test` metric a benchmark table gave (never shown to the strategy).
    public var testMetric: Double?
    /// The epoch an early-stopped trial reached (status ``TrialStatus/stopped``).
    public var stoppedEpoch: Int?
    /// Trainable parameters and FLOPs per sample of the subnet, when known.
    public var params: Int?
    public var flops: Int?
    /// Why a failed trial failed.
    public var error: String?
    /// How many times a process was started for it (retries after an interrupted run add one).
    public var attempts: Int
    /// The process id of the latest attempt.
    public var pid: Int?
    /// Times in seconds since 1970.
    public var queuedAt: Double
    public var startedAt: Double?
    public var endedAt: Double?
    public var overhead: TrialOverhead
    /// True once the strategy has been told the outcome (and a checkpoint taken after it).
    public var told: Bool

    /// Creates a record.
    public init(id: Int, architectureJSON: String, status: TrialStatus = .queued, finalMetric: Double? = nil,
                finalLoss: Double? = nil, testMetric: Double? = nil, stoppedEpoch: Int? = nil, params: Int? = nil, flops: Int? = nil, error: String? = nil, attempts: Int = 0, pid: Int? = nil,
                queuedAt: Double = 0, startedAt: Double? = nil, endedAt: Double? = nil,
                overhead: TrialOverhead = TrialOverhead(), told: Bool = false) {
        self.id = id; self.architectureJSON = architectureJSON; self.status = status; self.finalMetric = finalMetric
        self.finalLoss = finalLoss; self.testMetric = testMetric; self.stoppedEpoch = stoppedEpoch; self.params = params; self.flops = flops; self.error = error; self.attempts = attempts; self.pid = pid
        self.queuedAt = queuedAt; self.startedAt = startedAt; self.endedAt = endedAt; self.overhead = overhead; self.told = told
    }

    /// True when this trial ranks before `other`: a higher metric; on a tie, a lower validation loss (a trial with a
    /// loss before one without); then the lower id. Validation accuracy on a small split saturates (many trials
    /// at 100%), and the loss still tells them apart. ``ExperimentStore/top(_:)`` sorts the same way.
    public func ranks(before other: TrialRecord) -> Bool {
        let (a, b) = (finalMetric ?? -.infinity, other.finalMetric ?? -.infinity)
        if a != b { return a > b }
        switch (finalLoss, other.finalLoss) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return id < other.id
        }
    }

    /// Wall-clock seconds of the latest attempt, when it finished.
    public var duration: Double? {
        guard let s = startedAt, let e = endedAt else { return nil }
        return max(0, e - s)
    }
}

/// One intermediate metric (per epoch) of one attempt of a trial.
public struct IntermediateMetric: Sendable, Equatable {
    public var trialID: Int
    public var attempt: Int
    public var epoch: Int
    public var metric: Double
    /// Creates a metric row.
    public init(trialID: Int, attempt: Int, epoch: Int, metric: Double) {
        self.trialID = trialID; self.attempt = attempt; self.epoch = epoch; self.metric = metric
    }
}

/// How a trial ended, as recorded.
public enum TrialResult: Sendable, Equatable {
    /// `loss`: the final validation loss, when the evaluator reports one (it breaks ties in the metric).
    /// `test`: a benchmark table's held-out metric, never told to the strategy.
    /// `stoppedEpoch`: the trial was stopped early at this epoch and `metric` is its last intermediate metric.
    case succeeded(metric: Double, params: Int?, flops: Int?, loss: Double? = nil, test: Double? = nil, stoppedEpoch: Int? = nil)
    case failed(reason: String)
}
