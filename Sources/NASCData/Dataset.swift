// Dataset: an in-memory data set of float samples with classification labels or regression targets.
import NASCIR

/// What a data set's samples are labelled with.
public enum DatasetTask: Sendable, Hashable, CustomStringConvertible {
    /// One integer label per sample in `0..<numClasses`.
    case classification(numClasses: Int)
    /// `outputs` float targets per sample.
    case regression(outputs: Int)

    /// `classification(10)` or `regression(1)`.
    public var description: String {
        switch self {
        case .classification(let n): return "classification(\(n))"
        case .regression(let n): return "regression(\(n))"
        }
    }
}

/// An in-memory data set: `count` samples of shape `sampleShape`, stored contiguously sample-major
/// (CHW for images, `[F]` for tabular data), plus labels or targets.
public struct Dataset: Sendable {
    /// All samples, `count * sampleSize` floats, sample-major.
    public private(set) var features: [Float]
    /// The shape of one sample, e.g. `[1, 8, 8]` or `[13]`.
    public let sampleShape: [Int]
    /// Classification labels, one per sample (empty for regression).
    public let labels: [Int32]
    /// Regression targets, `outputs` per sample (empty for classification).
    public let targets: [Float]
    /// Classification or regression.
    public let task: DatasetTask
    /// Class names in label order when the source named them (CSV); otherwise empty.
    public let classNames: [String]
    /// Where the data came from (a file or directory path, or a description), used in diagnostics.
    public let source: String
    /// For token data (``TokenSamples``): the vocabulary the ids index; nil for float samples.
    public private(set) var tokens: TokenSamples?

    /// Number of samples.
    public let count: Int

    /// Floats per sample (product of `sampleShape`).
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// Number of classes, or 0 for a regression data set.
    public var numClasses: Int {
        if case .classification(let n) = task { return n }
        return 0
    }

    /// Targets per sample for regression, or 0 for classification.
    public var targetWidth: Int {
        if case .regression(let n) = task { return n }
        return 0
    }

    /// True for a classification data set.
    public var isClassification: Bool { numClasses > 0 }

    /// Creates a classification data set, checking sizes and label ranges.
    ///
    /// - Throws: ``DiagnosticError`` located at `source` when the feature count is not a multiple of the
    ///   sample size, the label count differs from the sample count, or a label is outside `0..<numClasses`.
    public init(features: [Float], sampleShape: [Int], labels: [Int32], numClasses: Int,
                classNames: [String] = [], source: String) throws {
        let size = try Dataset.validate(sampleShape: sampleShape, featureCount: features.count, source: source)
        let n = size == 0 ? 0 : features.count / size
        let loc = SourceLocation(file: source)
        guard numClasses > 0, numClasses <= Dataset.maxClasses else {
            throw DiagnosticError(.error("number of classes must be in 1...\(Dataset.maxClasses), got \(numClasses)", at: loc))
        }
        guard labels.count == n else {
            throw DiagnosticError(.error("\(n) samples but \(labels.count) labels", at: loc))
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= numClasses }) {
            throw DiagnosticError(.error(
                "label \(labels[bad]) of sample \(bad) is out of range 0..\(numClasses - 1)", at: loc))
        }
        self.features = features
        self.sampleShape = sampleShape
        self.labels = labels
        self.targets = []
        self.task = .classification(numClasses: numClasses)
        self.classNames = classNames
        self.source = source
        self.count = n
    }

    /// Creates a regression data set with `outputs` targets per sample.
    ///
    /// - Throws: ``DiagnosticError`` located at `source` when the sizes disagree.
    public init(features: [Float], sampleShape: [Int], targets: [Float], outputs: Int = 1, source: String) throws {
        let size = try Dataset.validate(sampleShape: sampleShape, featureCount: features.count, source: source)
        let n = size == 0 ? 0 : features.count / size
        let loc = SourceLocation(file: source)
        guard outputs > 0 else {
            throw DiagnosticError(.error("number of regression outputs must be positive, got \(outputs)", at: loc))
        }
        guard targets.count == n * outputs else {
            throw DiagnosticError(.error("\(n) samples need \(n * outputs) targets but there are \(targets.count)", at: loc))
        }
        self.features = features
        self.sampleShape = sampleShape
        self.labels = []
        self.targets = targets
        self.task = .regression(outputs: outputs)
        self.classNames = []
        self.source = source
        self.count = n
    }

    /// An internal initializer for derived data sets whose parts are already consistent.
    init(features: [Float], sampleShape: [Int], labels: [Int32], targets: [Float], task: DatasetTask,
         classNames: [String], source: String, count: Int) {
        self.features = features
        self.sampleShape = sampleShape
        self.labels = labels
        self.targets = targets
        self.task = task
        self.classNames = classNames
        self.source = source
        self.count = count
    }

    private static func validate(sampleShape: [Int], featureCount: Int, source: String) throws -> Int {
        let loc = SourceLocation(file: source)
        guard !sampleShape.isEmpty, sampleShape.allSatisfy({ $0 > 0 }) else {
            throw DiagnosticError(.error("invalid sample shape \(Dataset.format(sampleShape))", at: loc))
        }
        guard let size = checkedElementCount(sampleShape) else {
            throw DiagnosticError(.error("sample shape \(Dataset.format(sampleShape)) is too large", at: loc))
        }
        guard featureCount % size == 0 else {
            throw DiagnosticError(.error(
                "\(featureCount) values are not a whole number of samples of shape \(Dataset.format(sampleShape))", at: loc))
        }
        return size
    }

    /// The samples at `indices`, in that order, as a new data set.
    public func subset(_ indices: [Int]) -> Dataset {
        let size = sampleSize
        var f = [Float]()
        f.reserveCapacity(indices.count * size)
        var l = [Int32]()
        var t = [Float]()
        let w = targetWidth
        for i in indices {
            f.append(contentsOf: features[(i * size)..<((i + 1) * size)])
            if isClassification { l.append(labels[i]) } else { t.append(contentsOf: targets[(i * w)..<((i + 1) * w)]) }
        }
        var d = Dataset(features: f, sampleShape: sampleShape, labels: l, targets: t, task: task,
                        classNames: classNames, source: source, count: indices.count)
        d.tokens = tokens
        return d
    }

    /// How many samples carry each label (empty for regression).
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: numClasses)
        for l in labels { counts[Int(l)] += 1 }
        return counts
    }

    /// Applies `body` to the feature storage in place (used by normalization). Token data is never rescaled:
    /// the body is not run on it.
    ///
    /// - Throws: ``DiagnosticError`` at ``source`` for token data.
    public mutating func withMutableFeatures<R>(_ body: (inout [Float]) throws -> R) throws -> R {
        guard tokens == nil else {
            throw DiagnosticError(.error("token ids cannot be normalized or augmented", at: SourceLocation(file: source)))
        }
        return try body(&features)
    }

    /// The same samples marked as token ids of `vocabulary`: every value must be a whole number in
    /// `0..<vocabulary.size` (the loaders guarantee it; it is checked again here).
    ///
    /// - Throws: ``DiagnosticError`` at ``source`` when a value is not a valid id.
    public func asTokens(_ vocabulary: TokenSamples) throws -> Dataset {
        guard vocabulary.size > 0, vocabulary.size <= TokenSamples.maxVocabulary else {
            throw DiagnosticError(.error("vocabulary size must be in 1...\(TokenSamples.maxVocabulary), got \(vocabulary.size)",
                                         at: SourceLocation(file: source)))
        }
        let limit = Float(vocabulary.size)
        if let bad = features.firstIndex(where: { !($0 >= 0 && $0 < limit && $0.rounded() == $0) }) {
            throw DiagnosticError(.error("value \(features[bad]) of sample \(bad / sampleSize) is not a token id in 0..<\(vocabulary.size)",
                                         at: SourceLocation(file: source)))
        }
        var d = self
        d.tokens = vocabulary
        return d
    }

    /// Copies the samples at `indices` into caller-provided buffers without allocating: features go to
    /// `features` (`indices.count * sampleSize` floats), labels to `labels` (classification) and targets to
    /// `targets` (regression, `indices.count * targetWidth` floats). Buffers must be large enough.
    public func gather<C: Collection>(_ indices: C, features out: UnsafeMutableBufferPointer<Float>,
                                      labels outLabels: UnsafeMutableBufferPointer<Int32>? = nil,
                                      targets outTargets: UnsafeMutableBufferPointer<Float>? = nil) where C.Element == Int {
        let size = sampleSize
        precondition(out.count >= indices.count * size, "gather: feature buffer too small")
        features.withUnsafeBufferPointer { src in
            var k = 0
            for i in indices {
                let from = src.baseAddress! + i * size
                (out.baseAddress! + k * size).update(from: from, count: size)
                k += 1
            }
        }
        if let outLabels, isClassification {
            precondition(outLabels.count >= indices.count, "gather: label buffer too small")
            var k = 0
            for i in indices { outLabels[k] = labels[i]; k += 1 }
        }
        if let outTargets, !isClassification {
            let w = targetWidth
            precondition(outTargets.count >= indices.count * w, "gather: target buffer too small")
            var k = 0
            for i in indices {
                for j in 0..<w { outTargets[k * w + j] = targets[i * w + j] }
                k += 1
            }
        }
    }

    /// The most floats a data set may hold (8 GiB); larger requests are reported, never attempted.
    public static let maxElements = 1 << 31
    /// The most classes a classification data set may have.
    public static let maxClasses = 1 << 20

    /// The product of `shape` times `count`, or nil when it overflows or exceeds ``maxElements``.
    public static func checkedElementCount(_ shape: [Int], count: Int = 1) -> Int? {
        var n = count
        for d in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxElements else { return nil }
            n = p
        }
        return n
    }

    /// `[1,8,8]`.
    public static func format(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }
}
