// Inference: a trained architecture in eval mode — `nasc predict` and `nasc eval` over a data split.
import Foundation
import NASCData
import NASCIR
import NASCKernels
import NASCRuntime

/// A data set as `nasc predict` and `nasc eval` see it (the CLI does not import NASCData).
public typealias InferenceData = Dataset

/// Which split of a data set to run on.
public enum DataSplitChoice: String, Sendable, CaseIterable {
    case test, train, all
}

/// The eval-mode plan of one architecture with its trained weights loaded.
public final class InferenceModel {
    /// The inference plan (no autodiff, running statistics, no dropout).
    public let plan: Plan
    public let executor: Executor
    /// The space's input type (`f32[N, C, H, W]`), for checking data.
    public let input: GraphInput
    /// The normalization the weights were trained with (applied to raw data before the model).
    public let normalization: Checkpoint.Normalization?
    /// The space the model comes from (its embeddings' vocabularies are checked against token data).
    let space: ModelSpace

    /// Compiles the eval plan of `arch` and loads `weights` (exact names and shapes; errors located at `weightsFile`).
    public init(space: ModelSpace, architecture arch: Architecture, weights: Checkpoint, weightsFile: String,
                threads: Int = 1) throws {
        Kernels.setThreads(threads)
        guard let input = space.rootGraph?.inputs.first else {
            throw DiagnosticError(.error("the space has no input"))
        }
        self.input = input
        self.space = space
        plan = try ArchitectureTraining.plan(space, arch, options: TrainOptions(), training: false)
        let executor = try Executor(plan: plan, seed: 0)
        try WeightsFile.locate(weightsFile) { try executor.loadWeights(from: weights) }
        self.executor = executor
        normalization = weights.inputNormalization
    }

    /// Loads the split(s) of `spec` raw, checks the sample shape against the space input (located at `--data`),
    /// and applies the weights' normalization (unless `normalize` is false: the raw samples).
    public func loadData(_ spec: String, split: DataSplitChoice, task: String = "classification",
                         normalize: Bool = true) throws -> Dataset {
        let at = SourceLocation(file: "--data")
        var parsed = try DataSpec.parse(spec, at: at)
        if task == "regression", case .csv(let path, var csv) = parsed {
            csv.task = .regression
            parsed = .csv(path: path, options: csv)
        }
        let root = DataSpec.findRepositoryRoot(from: FileManager.default.currentDirectoryPath) ?? "."
        let splits = try parsed.load(repositoryRoot: root)
        var data: Dataset
        switch split {
        case .train: data = splits.train
        case .test:
            guard let t = splits.test else {
                throw DiagnosticError(.error("data set '\(spec)' has no test split (use --split train or all)",
                                             at: SourceLocation(file: "--split")))
            }
            data = t
        case .all: data = try splits.test.map { try Self.concatenate(splits.train, $0) } ?? splits.train
        }
        try data.checkFits(space, at: at)
        if normalize, let n = normalization, data.tokens == nil {
            try ChannelNormalization(mean: n.mean, std: n.std).apply(to: &data)
        }
        return data
    }

    /// Two splits of one data set, one after the other.
    static func concatenate(_ a: Dataset, _ b: Dataset) throws -> Dataset {
        if a.isClassification {
            let d = try Dataset(features: a.features + b.features, sampleShape: a.sampleShape, labels: a.labels + b.labels,
                                numClasses: max(a.numClasses, b.numClasses), classNames: a.classNames, source: a.source)
            guard let ta = a.tokens, let tb = b.tokens else { return d }
            return try d.asTokens(tb.largestID > ta.largestID ? tb : ta)
        }
        return try Dataset(features: a.features + b.features, sampleShape: a.sampleShape, targets: a.targets + b.targets,
                           outputs: a.targetWidth, source: a.source)
    }

    /// Model outputs for already-normalized `features` (`count` samples): `count` rows of `width` values.
    public func outputs(features: [Float], count: Int, batchSize: Int = 256) throws -> (values: [Float], width: Int) {
        let size = features.count / max(count, 1)
        var out: [Float] = []
        var width = 0
        var start = 0
        while start < count {
            let n = min(batchSize, count - start)
            try features.withUnsafeBufferPointer { f in
                _ = try executor.forward(data: UnsafeBufferPointer(rebasing: f[(start * size)..<((start + n) * size)]), batch: n, mode: .eval)
            }
            executor.withOutput { o in
                width = o.count / n
                out.append(contentsOf: o)
            }
            start += n
        }
        return (out, width)
    }

    /// Model outputs for every sample of `data`.
    public func outputs(_ data: Dataset, batchSize: Int = 256) throws -> (values: [Float], width: Int) {
        try outputs(features: data.features, count: data.count, batchSize: batchSize)
    }
}

/// What `nasc eval` reports.
public struct EvalResult: Sendable {
    public var samples: Int
    /// Mean cross-entropy (classification) or mean squared error (regression).
    public var loss: Double
    /// Top-1 accuracy (classification only).
    public var accuracy: Double?
    /// True for regression.
    public var regression: Bool

    /// Loss and accuracy of `outputs` (rows of `width`) against `data`'s labels or targets.
    public init(outputs: [Float], width: Int, data: Dataset) throws {
        samples = data.count
        regression = !data.isClassification
        guard samples > 0 else { throw DiagnosticError(.error("the data split is empty", at: SourceLocation(file: "--data"))) }
        if regression {
            guard width == data.targetWidth else {
                throw DiagnosticError(.error("the model outputs \(width) values per sample, the data has \(data.targetWidth) targets",
                                             at: SourceLocation(file: "--data")))
            }
            var sum = 0.0
            for i in 0..<(samples * width) { let d = Double(outputs[i]) - Double(data.targets[i]); sum += d * d }
            loss = sum / Double(samples * width)
            return
        }
        guard width >= data.numClasses else {
            throw DiagnosticError(.error("the model outputs \(width) values per sample, the data has \(data.numClasses) classes",
                                         at: SourceLocation(file: "--data")))
        }
        var lossSum = 0.0, correct = 0
        for s in 0..<samples {
            let row = outputs[(s * width)..<((s + 1) * width)]
            let m = Double(row.max()!)
            let lse = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
            let label = Int(data.labels[s])
            lossSum += lse - Double(row[row.startIndex + label])
            if row.firstIndex(of: row.max()!)! - row.startIndex == label { correct += 1 }
        }
        loss = lossSum / Double(samples)
        accuracy = Double(correct) / Double(samples)
    }
}
