// EvaluatorOptions: the evaluator flags shared by `nasc run` (which forwards them) and `nasc trial` (which uses them).
import ArgumentParser
import NASCExperiment

/// Evaluator flags. The fault-injection flags are test aids for the experiment machinery, not for real searches.
struct EvaluatorOptions: ParsableArguments {
    @Option(help: "Score architectures from a benchmark table instead of training: synthetic:SEED, or table:PATH (JSON lines: arch, metric, optional curve, test, params, flops, seconds).")
    var benchmark: String?

    @Option(help: "Train each trial on this data set (digits, idx:DIR, cifar10:DIR, csv:PATH?..., synthetic?...).")
    var data: String?

    // Training flags are optional so that one-shot strategies can tell given flags from defaults: a one-shot search
    // keeps the strategy's own default for any flag not given (``EvaluatorOptions/defaults`` apply to trials).
    @Option(name: .customLong("train-epochs"), help: "Training epochs per trial (default: 5), or of a one-shot supernet (default: the strategy's).")
    var trainEpochs: Int?

    @Option(help: "Training batch size (default: 64; one-shot: the strategy's).")
    var batchSize: Int?

    @Option(help: "Training optimizer: sgd, adam or adamw (default: sgd; not for one-shot strategies).")
    var optimizer: String?

    @Option(help: "Training learning rate (default: 0.05; one-shot: the strategy's, e.g. darts 0.025).")
    var lr: Double?

    @Option(name: .customLong("train-seed"), help: "Seed of every training trial.")
    var trainSeed: UInt64 = 0

    @Option(help: "OpenBLAS threads per trial.")
    var threads = 1

    @Option(name: .customLong("weight-decay"), help: "Training weight decay (default: 0; one-shot: the strategy's).")
    var weightDecay: Double?

    @Option(help: "Training learning-rate schedule: cosine, step or constant (default: cosine; one-shot: --strategy-option schedule).")
    var schedule: String?

    @Option(name: .customLong("crop-padding"), help: "Augment training images by a random crop after this much zero padding.")
    var cropPadding = 0

    // The rest of `nasc train`'s settings (TrainingFlags), so trials train with the retrain's recipe.
    @Option(help: "SGD momentum of training trials (default: 0.9).")
    var momentum: Double?

    @Flag(help: "Nesterov momentum (SGD) for training trials.")
    var nesterov = false

    @Option(name: .customLong("label-smoothing"), help: "Label smoothing of training trials' cross-entropy (default: 0).")
    var labelSmoothing: Double?

    @Option(help: "Fraction of the training data held out for validation; its accuracy is the metric (default: 0.1).")
    var validation: Double?

    @Option(name: .customLong("schedule-step"), help: "When training trials' schedule advances: epoch (default) or iteration.")
    var scheduleStep: String?

    @Option(name: .customLong("clip-grad-norm"), help: "Clip training trials' global gradient norm to this value each step.")
    var clipGradNorm: Double?

    @Option(help: "classification (metric: validation accuracy) or regression (metric: -MSE, higher is better).")
    var task = "classification"

    @Option(help: "Epochs per trial: of a benchmark curve (default: 3) or, with --data, of training (the same as --train-epochs).")
    var epochs: Int?

    /// Training epochs from either name (`--train-epochs` or, with `--data`, `--epochs`); giving both is refused.
    var trainingEpochs: Int? {
        get throws {
            if let t = trainEpochs, let e = epochs, data != nil, t != e {
                throw ValidationError("--epochs \(e) and --train-epochs \(t) disagree: give one of them")
            }
            return trainEpochs ?? (data != nil ? epochs : nil)
        }
    }

    @Option(name: .customLong("epoch-ms"), help: "Simulated time per benchmark epoch, in milliseconds.")
    var epochMs = 0

    @Option(name: .customLong("crash-every"), help: ArgumentHelp("Test aid: trials whose id is a multiple of N abort after epoch 1.", visibility: .hidden))
    var crashEvery: Int?

    @Option(name: .customLong("nan-every"), help: ArgumentHelp("Test aid: trials whose id is a multiple of N diverge (NaN) at epoch 2.", visibility: .hidden))
    var nanEvery: Int?

    @Option(name: .customLong("garbage-every"), help: ArgumentHelp("Test aid: trials whose id is a multiple of N print a non-JSON line.", visibility: .hidden))
    var garbageEvery: Int?

    @Option(name: .customLong("hang-every"), help: ArgumentHelp("Test aid: trials whose id is a multiple of N stop responding after epoch 1.", visibility: .hidden))
    var hangEvery: Int?

    @Option(name: .customLong("linger-every"), help: ArgumentHelp("Test aid: trials whose id is a multiple of N report their result, then do not exit.", visibility: .hidden))
    var lingerEvery: Int?

    @Option(name: .customLong("fail-when"), help: ArgumentHelp("Test aid: architectures choosing LABEL=VALUE fail (repeatable).", visibility: .hidden))
    var failWhen: [String] = []

    /// Rejects out-of-range numbers, naming the flag (see ``checkFlag(_:_:_:)``).
    func validate() throws {
        try checkFlag("--train-epochs", trainEpochs, .positive)
        try checkFlag("--batch-size", batchSize, .positive)
        try checkFlag("--lr", lr, .positive)
        try checkFlag("--threads", threads, .between(1, maxThreads))
        try checkFlag("--weight-decay", weightDecay, .nonNegative)
        try checkFlag("--crop-padding", cropPadding, .between(0, 1 << 12))
        try checkFlag("--momentum", momentum, .nonNegative)
        try checkFlag("--label-smoothing", labelSmoothing, .fraction)
        try checkFlag("--validation", validation, .fraction)
        try checkFlag("--clip-grad-norm", clipGradNorm, .positive)
        if let s = scheduleStep, !["epoch", "iteration"].contains(s) {
            throw ValidationError("--schedule-step: expects epoch or iteration, got '\(s)'")
        }
        try checkFlag("--epochs", epochs, .positive)
        try checkFlag("--epoch-ms", epochMs, .between(0, 86_400_000))
        for (name, v) in [("--crash-every", crashEvery), ("--nan-every", nanEvery), ("--garbage-every", garbageEvery), ("--hang-every", hangEvery)] {
            try checkFlag(name, v, .positive)
        }
    }

    /// The library form; a malformed `--fail-when` is a validation (usage) error.
    func settings() throws -> EvaluatorSettings {
        var fail: [String: String] = [:]
        for f in failWhen {
            let parts = f.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--fail-when expects LABEL=VALUE, got '\(f)'") }
            fail[parts[0]] = parts[1]
        }
        let trainingEpochs = try self.trainingEpochs
        return EvaluatorSettings(benchmark: benchmark, epochs: epochs ?? 3, epochMs: epochMs,
                                 faults: FaultInjection(crashEvery: crashEvery, nanEvery: nanEvery, garbageEvery: garbageEvery,
                                                        hangEvery: hangEvery, failWhen: fail, lingerEvery: lingerEvery),
                                 training: data.map {
                                     var t = TrainingSettings(data: $0, epochs: trainingEpochs ?? Self.defaults.epochs,
                                                              batchSize: batchSize ?? Self.defaults.batchSize,
                                                              optimizer: optimizer ?? Self.defaults.optimizer,
                                                              learningRate: lr ?? Self.defaults.learningRate, seed: trainSeed, threads: threads)
                                     t.weightDecay = weightDecay ?? Self.defaults.weightDecay
                                     t.schedule = schedule ?? Self.defaults.schedule; t.cropPadding = cropPadding; t.task = task
                                     t.momentum = momentum ?? t.momentum; t.nesterov = nesterov
                                     t.scheduleStep = scheduleStep ?? t.scheduleStep
                                     t.labelSmoothing = labelSmoothing ?? t.labelSmoothing
                                     t.validationFraction = validation ?? t.validationFraction; t.gradientClipNorm = clipGradNorm
                                     return t
                                 })
    }

    /// The training defaults of multi-trial evaluation (one-shot strategies have their own).
    static let defaults = (epochs: 5, batchSize: 64, optimizer: "sgd", learningRate: 0.05, weightDecay: 0.0, schedule: "cosine")
}
