// TrialEvaluator: the protocol a trial process uses to score one architecture (benchmark table now, training later).
import NASCIR

/// What an evaluator is given: the whole space, the architecture and its compiled fixed subnet.
public struct TrialSubject: Sendable {
    /// The model space the architecture belongs to.
    public var space: ModelSpace
    /// The decisions of this trial.
    public var architecture: Architecture
    /// The fixed subnet: specialized, inlined, simplified and shape-inferred (what a trainer executes).
    public var subnet: ModelSpace
    /// The trial's id in its experiment (`nil` when `nasc trial` runs on its own).
    public var trialID: Int?

    /// Creates a subject.
    public init(space: ModelSpace, architecture: Architecture, subnet: ModelSpace, trialID: Int? = nil) {
        self.space = space; self.architecture = architecture; self.subnet = subnet; self.trialID = trialID
    }
}

/// The outcome of a successful evaluation.
public struct TrialMetrics: Sendable, Equatable {
    /// The final metric; higher is better (e.g. validation accuracy).
    public var final: Double
    /// Per-epoch metrics reported along the way, in order.
    public var intermediate: [Double]
    /// The final validation loss, when the evaluator has one (training does): it breaks ties in the metric.
    public var loss: Double?
    /// A held-out metric from a benchmark table (`test`): recorded and shown, never told to the strategy.
    public var test: Double?
    /// Creates metrics.
    public init(final: Double, intermediate: [Double] = [], loss: Double? = nil) {
        self.final = final; self.intermediate = intermediate; self.loss = loss
    }
}

/// A failed evaluation (the trial reports it as an `error` line and exits non-zero).
public struct TrialFailure: Error, Sendable, Equatable {
    /// `diverged` (NaN/inf metric or loss), `evaluator` (anything else).
    public var kind: String
    public var message: String
    /// Creates a failure.
    public init(kind: String, message: String) { self.kind = kind; self.message = message }
}

/// Scores one architecture inside a trial process.
///
/// `progress` is called with each epoch's metric (1-based epoch) as soon as it is known, so that the
/// experiment records it even if the process dies later; an error `progress` throws ends the evaluation. Non-finite metrics must not be reported: throw
/// ``TrialFailure`` with kind `diverged` instead.
///
/// **Extension point — training.** The training evaluator (train the subnet with NASCRuntime on a data set,
/// report validation accuracy per epoch) belongs next to the runtime: it conforms to this protocol, takes
/// `subject.subnet`, and is selected by its own flags in `nasc trial` (see `EvaluatorSettings`, which lists
/// the evaluator kinds). Nothing else changes: `nasc run` forwards evaluator flags to trial processes verbatim.
public protocol TrialEvaluator {
    /// Evaluates `subject`, reporting intermediate metrics through `progress`.
    func evaluate(_ subject: TrialSubject, progress: (_ epoch: Int, _ metric: Double) throws -> Void) throws -> TrialMetrics
}
