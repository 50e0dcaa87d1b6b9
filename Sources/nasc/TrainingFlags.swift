// TrainingFlags: the hyper-parameter flags shared by `nasc train` and `nasc compile --arch`.
import ArgumentParser
import NASCTool

struct TrainingFlags: ParsableArguments {
    @Option(help: "Data set: digits (bundled), idx:DIR, cifar10:DIR, csv:PATH?target=..., synthetic?count=...")
    var data = "digits"
    @Option(help: "Epochs.") var epochs = 10
    @Option(help: "Batch size.") var batchSize = 64
    @Option(help: "sgd, adam or adamw.") var optimizer = "sgd"
    @Option(help: "Learning rate.") var lr = 0.05
    @Option(help: "SGD momentum.") var momentum = 0.9
    @Option(help: "Weight decay.") var weightDecay = 0.0
    @Flag(help: "Nesterov momentum (SGD).") var nesterov = false
    @Option(help: "Label smoothing for cross-entropy.") var labelSmoothing = 0.0
    @Option(help: "Learning-rate schedule: cosine, step or constant.") var schedule = "cosine"
    @Option(help: "When the schedule advances: epoch, or iteration (every batch, as PyTorch's per-iteration CosineAnnealingLR).")
    var scheduleStep = "epoch"
    @Option(help: "Fraction of the training data held out for validation.") var validation = 0.1
    @Option(help: "Seed for initialization, shuffling and dropout.") var seed: UInt64 = 0
    @Option(help: "OpenBLAS threads.") var threads = 1
    @Option(help: "Clip the global gradient norm to this value each step.") var clipGradNorm: Double?
    @Option(help: "Augment training images by a random crop after zero padding of this many pixels (0 = none).") var cropPadding = 0
    @Option(help: "classification (cross-entropy, accuracy) or regression (mean squared error on float targets).") var task = "classification"

    var options: TrainOptions {
        var o = TrainOptions()
        o.data = data; o.epochs = epochs; o.batchSize = batchSize; o.optimizer = optimizer; o.learningRate = lr
        o.momentum = momentum; o.weightDecay = weightDecay; o.nesterov = nesterov; o.labelSmoothing = labelSmoothing
        o.schedule = schedule; o.scheduleStep = scheduleStep; o.validationFraction = validation; o.seed = seed; o.threads = threads
        o.gradientClipNorm = clipGradNorm
        o.cropPadding = cropPadding
        o.task = task
        return o
    }

    func validate() throws {
        try checkFlag("--epochs", epochs, .positive)
        try checkFlag("--batch-size", batchSize, .positive)
        try checkFlag("--lr", lr, .positive)
        try checkFlag("--momentum", momentum, .nonNegative)
        try checkFlag("--weight-decay", weightDecay, .nonNegative)
        try checkFlag("--label-smoothing", labelSmoothing, .fraction)
        try checkFlag("--validation", validation, .fraction)
        try checkFlag("--threads", threads, .between(1, maxThreads))
        try checkFlag("--clip-grad-norm", clipGradNorm, .positive)
        try checkFlag("--crop-padding", cropPadding, .between(0, 1 << 12))
        guard ["epoch", "iteration"].contains(scheduleStep) else {
            throw ValidationError("--schedule-step: expects epoch or iteration, got '\(scheduleStep)'")
        }
    }
}
