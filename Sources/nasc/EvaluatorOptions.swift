// EvaluatorOptions: the evaluator flags shared by `nasc run` (which forwards them) and `nasc trial` (which uses them).
import ArgumentParser
import NASCExperiment

/// Evaluator flags. The fault-injection flags are test aids for the experiment machinery, not for real searches.
struct EvaluatorOptions: ParsableArguments {
    @Option(help: "Score architectures from a benchmark table instead of training: synthetic:SEED.")
    var benchmark: String?

    @Option(help: "Train each trial on this data set (digits, idx:DIR, cifar10:DIR, csv:PATH?..., synthetic?...).")
    var data: String?

    @Option(name: .customLong("train-epochs"), help: "Training epochs per trial.")
    var trainEpochs = 5

    @Option(help: "Training batch size.")
    var batchSize = 64

    @Option(help: "Training optimizer: sgd, adam or adamw.")
    var optimizer = "sgd"

    @Option(help: "Training learning rate.")
    var lr = 0.05

    @Option(name: .customLong("train-seed"), help: "Seed of every training trial.")
    var trainSeed: UInt64 = 0

    @Option(help: "OpenBLAS threads per trial.")
    var threads = 1

    @Option(name: .customLong("weight-decay"), help: "Training weight decay.")
    var weightDecay = 0.0

    @Option(help: "Training learning-rate schedule: cosine, step or constant.")
    var schedule = "cosine"

    @Option(name: .customLong("crop-padding"), help: "Augment training images by a random crop after this much zero padding.")
    var cropPadding = 0

    @Option(help: "classification (metric: validation accuracy) or regression (metric: -MSE, higher is better).")
    var task = "classification"

    @Option(help: "Epochs a benchmark evaluation reports (a rising curve ending at the table's value).")
    var epochs = 3

    @Option(name: .customLong("epoch-ms"), help: "Simulated time per benchmark epoch, in milliseconds.")
    var epochMs = 0

    @Option(name: .customLong("crash-every"), help: "Test aid: trials whose id is a multiple of N abort after epoch 1.")
    var crashEvery: Int?

    @Option(name: .customLong("nan-every"), help: "Test aid: trials whose id is a multiple of N diverge (NaN) at epoch 2.")
    var nanEvery: Int?

    @Option(name: .customLong("garbage-every"), help: "Test aid: trials whose id is a multiple of N print a non-JSON line.")
    var garbageEvery: Int?

    @Option(name: .customLong("hang-every"), help: "Test aid: trials whose id is a multiple of N stop responding after epoch 1.")
    var hangEvery: Int?

    @Option(name: .customLong("fail-when"), help: "Test aid: architectures choosing LABEL=VALUE fail (repeatable).")
    var failWhen: [String] = []

    /// The library form; a malformed `--fail-when` is a validation (usage) error.
    func settings() throws -> EvaluatorSettings {
        var fail: [String: String] = [:]
        for f in failWhen {
            let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--fail-when expects LABEL=VALUE, got '\(f)'") }
            fail[parts[0]] = parts[1]
        }
        return EvaluatorSettings(benchmark: benchmark, epochs: epochs, epochMs: epochMs,
                                 faults: FaultInjection(crashEvery: crashEvery, nanEvery: nanEvery, garbageEvery: garbageEvery,
                                                        hangEvery: hangEvery, failWhen: fail),
                                 training: data.map {
                                     var t = TrainingSettings(data: $0, epochs: trainEpochs, batchSize: batchSize, optimizer: optimizer,
                                                              learningRate: lr, seed: trainSeed, threads: threads)
                                     t.weightDecay = weightDecay; t.schedule = schedule; t.cropPadding = cropPadding; t.task = task
                                     return t
                                 })
    }
}
