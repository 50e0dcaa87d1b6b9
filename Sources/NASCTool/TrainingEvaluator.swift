// TrainingEvaluator: the trial evaluator that trains the subnet on a data set and reports validation accuracy.
import NASCExperiment
import NASCIR
import NASCPasses
import NASCRuntime

/// Trains one architecture with the runtime (the same path as `nasc train`, so an exported architecture retrained
/// with the same settings and seed reproduces the trial exactly) and reports validation accuracy per epoch, and the
/// final validation loss (which breaks ties in accuracy).
/// A non-finite loss fails the trial as `diverged`.
///
/// For `--task regression` the metric is the **negative** validation mean squared error (`-MSE`): strategies and
/// `top-k` maximize the metric, so the lowest MSE ranks first; `nasc train` reports the MSE itself.
public struct TrainingEvaluator: TrialEvaluator {
    public var settings: TrainingSettings
    /// Records the training plan's compile (`nil`: untimed); the trial runner's timer, to count a trial's compiles.
    public var timer: PassTimer?

    /// Creates the evaluator.
    public init(settings: TrainingSettings, timer: PassTimer? = nil) { self.settings = settings; self.timer = timer }

    /// The `nasc train` options: the settings themselves (one type).
    public var options: TrainOptions { settings }

    public func evaluate(_ subject: TrialSubject, progress: (Int, Double) throws -> Void) throws -> TrialMetrics {
        var intermediate: [Double] = []
        var loss: Double?
        var failure: Error?
        let options = self.options
        // The subnet the trial built once (and costed for the budget) is compiled and trained as is.
        let result = try ArchitectureTraining.train(subnet: subject.subnet, options: options, timer: timer, onEvent: { event in
            guard failure == nil, case .epoch(let s) = event else { return }
            let metric = options.isRegression ? -(s.validationLoss ?? s.trainLoss) : s.validationAccuracy ?? s.trainAccuracy
            guard s.trainLoss.isFinite, metric.isFinite else {
                failure = TrialFailure(kind: "diverged", message: "training loss is \(s.trainLoss) at epoch \(s.epoch + 1)")
                return
            }
            intermediate.append(metric)
            loss = s.validationLoss
            do { try progress(s.epoch + 1, metric) } catch { failure = error }
        })
        if let failure { throw failure }
        guard let final = intermediate.last else {
            throw TrialFailure(kind: "evaluator", message: "training produced no epoch")
        }
        if let directory = settings.weightsDirectory, let id = subject.trialID {
            try KeptWeights.write(result.checkpoint, directory: directory, trial: id)
        }
        return TrialMetrics(final: final, intermediate: intermediate, loss: loss)
    }
}
