// SyntheticData: seeded generators for test and smoke-run data sets (Gaussian class blobs, linear regression).
import NASCIR

/// Deterministic synthetic data sets: the same parameters and seed always give the same data.
public enum SyntheticData {
    /// A classification data set of Gaussian blobs: each class has a random centre (standard normal times
    /// `separation`) in the flattened sample space and its samples scatter around it with standard deviation
    /// `spread`. Labels cycle through the classes so counts are balanced (they differ by at most one).
    ///
    /// - Throws: ``DiagnosticError`` for a non-positive count, class count or shape dimension.
    public static func blobs(count: Int, sampleShape: [Int], numClasses: Int, seed: UInt64,
                             separation: Float = 3, spread: Float = 1) throws -> Dataset {
        let source = "synthetic:blobs"
        try check(count: count, shape: sampleShape, source: source)
        guard numClasses > 0, numClasses <= Dataset.maxClasses else {
            throw DiagnosticError(.error("number of classes must be in 1...\(Dataset.maxClasses), got \(numClasses)",
                                         at: SourceLocation(file: source)))
        }
        let size = sampleShape.reduce(1, *)
        var rng = SeededGenerator(seed: seed)
        var centres = [Float](repeating: 0, count: numClasses * size)
        for i in centres.indices { centres[i] = Float(rng.nextNormal()) * separation }
        var features = [Float](repeating: 0, count: count * size)
        var labels = [Int32](repeating: 0, count: count)
        for s in 0..<count {
            let c = s % numClasses
            labels[s] = Int32(c)
            for j in 0..<size {
                features[s * size + j] = centres[c * size + j] + Float(rng.nextNormal()) * spread
            }
        }
        return try Dataset(features: features, sampleShape: sampleShape, labels: labels, numClasses: numClasses, source: source)
    }

    /// A regression data set: features are standard normal, targets are `x . w + b + noise * N(0, 1)` with
    /// a random weight matrix `w` (`features x outputs`, standard normal) and bias `b` drawn from the seed.
    ///
    /// - Throws: ``DiagnosticError`` for a non-positive count, feature count or output count.
    public static func regression(count: Int, features featureCount: Int, outputs: Int = 1, seed: UInt64,
                                  noise: Float = 0.1) throws -> Dataset {
        let source = "synthetic:regression"
        try check(count: count, shape: [featureCount], source: source)
        guard outputs > 0, Dataset.checkedElementCount([outputs], count: count) != nil else {
            throw DiagnosticError(.error("number of outputs must be positive, got \(outputs)", at: SourceLocation(file: source)))
        }
        var rng = SeededGenerator(seed: seed)
        var w = [Float](repeating: 0, count: featureCount * outputs)
        for i in w.indices { w[i] = Float(rng.nextNormal()) }
        var b = [Float](repeating: 0, count: outputs)
        for i in b.indices { b[i] = Float(rng.nextNormal()) }
        var x = [Float](repeating: 0, count: count * featureCount)
        var y = [Float](repeating: 0, count: count * outputs)
        for s in 0..<count {
            for j in 0..<featureCount { x[s * featureCount + j] = Float(rng.nextNormal()) }
            for o in 0..<outputs {
                var acc = b[o]
                for j in 0..<featureCount { acc += x[s * featureCount + j] * w[j * outputs + o] }
                y[s * outputs + o] = acc + noise * Float(rng.nextNormal())
            }
        }
        return try Dataset(features: x, sampleShape: [featureCount], targets: y, outputs: outputs, source: source)
    }

    private static func check(count: Int, shape: [Int], source: String) throws {
        let loc = SourceLocation(file: source)
        guard count > 0 else {
            throw DiagnosticError(.error("sample count must be positive, got \(count)", at: loc))
        }
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw DiagnosticError(.error("invalid sample shape \(Dataset.format(shape))", at: loc))
        }
        guard Dataset.checkedElementCount(shape, count: count) != nil else {
            throw DiagnosticError(.error(
                "\(count) samples of shape \(Dataset.format(shape)) exceed \(Dataset.maxElements) values", at: loc))
        }
    }
}
