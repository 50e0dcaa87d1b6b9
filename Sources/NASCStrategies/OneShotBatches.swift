// OneShotBatches: batch iteration and accuracy helpers shared by the one-shot strategies (DARTS, SPOS).
import Foundation
import NASCIR
import NASCData
import NASCRuntime

/// A seeded, shuffling batch stream over a classification dataset that restarts at the end of each epoch.
struct OneShotBatches {
    var loader: BatchLoader
    var features: [Float]
    var labels32: [Int32]
    let batchSize: Int

    init(_ data: Dataset, batchSize: Int, seed: UInt64) throws {
        loader = try BatchLoader(dataset: data, batchSize: batchSize, shuffle: true, dropLast: false, seed: seed)
        features = [Float](repeating: 0, count: loader.featureCapacity)
        labels32 = [Int32](repeating: 0, count: batchSize)
        self.batchSize = batchSize
    }

    var batchesPerEpoch: Int { loader.batchesPerEpoch }

    /// The next batch (features, labels, size), wrapping to the next epoch when this one is over.
    mutating func next() -> (x: [Float], y: [Int64], n: Int) {
        var got = features.withUnsafeMutableBufferPointer { f in labels32.withUnsafeMutableBufferPointer { l in loader.next(features: f, labels: l) } }
        if got == nil {
            loader.startEpoch(loader.epoch + 1)
            got = features.withUnsafeMutableBufferPointer { f in labels32.withUnsafeMutableBufferPointer { l in loader.next(features: f, labels: l) } }
        }
        let n = got ?? 0
        let size = loader.dataset.sampleSize
        return (Array(features[0..<(n * size)]), labels32[0..<n].map(Int64.init), n)
    }
}

enum OneShotMetrics {
    /// Correct argmax predictions of the executor's last output for `labels`.
    static func correct(_ exec: Executor, _ labels: [Int64]) -> Int {
        let out = exec.output
        let n = labels.count
        guard n > 0, out.count % n == 0 else { return 0 }
        let c = out.count / n
        var hits = 0
        for i in 0..<n {
            var best = 0
            for j in 1..<max(1, c) where out[i * c + j] > out[i * c + best] { best = j }
            if Int64(best) == labels[i] { hits += 1 }
        }
        return hits
    }

    /// Eval-mode accuracy and mean loss over a whole dataset.
    static func evaluate(_ exec: Executor, _ data: Dataset, batchSize: Int) throws -> (accuracy: Double, loss: Double) {
        var b = try OneShotBatches(data, batchSize: batchSize, seed: 0)
        var hits = 0, seen = 0, loss = 0.0
        for _ in 0..<b.batchesPerEpoch {
            let (x, y, n) = b.next()
            let l = try exec.forward(data: x, labels: y, batch: n, mode: .eval) ?? 0
            hits += correct(exec, y); seen += n; loss += Double(l) * Double(n)
        }
        return seen == 0 ? (0, 0) : (Double(hits) / Double(seen), loss / Double(seen))
    }
}

/// One epoch of a one-shot search, as logged.
public struct OneShotEpochLog: Sendable, Hashable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    /// Validation metrics (DARTS: over the architecture steps' batches; SPOS: a sampled path's eval accuracy).
    public var validLoss: Double
    public var validAccuracy: Double
    /// Each choice's candidate probabilities (DARTS/Gumbel/Proxyless: softmax of its alpha; SPOS: uniform), by label.
    public var probabilities: [String: [Double]]
    /// Strategy-specific figures (e.g. `temperature`, `skip_argmax`, `expected_mflops`), by name.
    public var extra: [String: Double]

    /// Creates an epoch entry.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validLoss: Double, validAccuracy: Double,
                probabilities: [String: [Double]], extra: [String: Double] = [:]) {
        self.epoch = epoch; self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.validLoss = validLoss; self.validAccuracy = validAccuracy; self.probabilities = probabilities; self.extra = extra
    }

    /// A one-line summary: `epoch 3: train loss 0.41 acc 0.88, valid loss 0.52 acc 0.84`.
    public var summary: String {
        func f(_ v: Double) -> String { String(format: "%.4f", v) }
        var s = "epoch \(epoch): train loss \(f(trainLoss)) acc \(f(trainAccuracy)), valid loss \(f(validLoss)) acc \(f(validAccuracy))"
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { s += ", \(k) \(f(v))" }
        return s
    }

    /// The entry as one JSON object on one line (keys sorted; probabilities by label).
    public var jsonLine: String {
        func num(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        func str(_ s: String) -> String {
            var o = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                default: o += c.value < 0x20 ? String(format: "\\u%04x", c.value) : String(c)
                }
            }
            return o + "\""
        }
        let probs = probabilities.sorted { $0.key < $1.key }.map { "\(str($0.key)):[\($0.value.map(num).joined(separator: ","))]" }
        var fields = ["\"epoch\":\(epoch)"]
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\(str(k)):\(num(v))") }
        fields += ["\"probabilities\":{\(probs.joined(separator: ","))}", "\"train_accuracy\":\(num(trainAccuracy))",
                   "\"train_loss\":\(num(trainLoss))", "\"valid_accuracy\":\(num(validAccuracy))", "\"valid_loss\":\(num(validLoss))"]
        return "{" + fields.joined(separator: ",") + "}"
    }
}
