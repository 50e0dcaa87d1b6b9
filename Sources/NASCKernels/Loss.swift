// Loss: softmax cross-entropy with label smoothing and NLL on log-probabilities (mean over the batch).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Classification losses with PyTorch semantics (`reduction='mean'`, no class weights, no ignore index).
/// Labels are `Int64` class indices in `0..<classes`; an out-of-range label throws `KernelError.labelOutOfRange`
/// before anything is written.
public enum Loss {
    /// Checks every label is in range.
    static func validate(labels: UnsafePointer<Int64>, batch: Int, classes: Int) throws(KernelError) {
        for n in 0..<batch where labels[n] < 0 || labels[n] >= Int64(classes) {
            throw KernelError.labelOutOfRange(index: n, label: labels[n], classes: classes)
        }
    }

    /// Softmax cross-entropy on raw `logits` `[batch, classes]`, as `torch.nn.functional.cross_entropy`
    /// with `label_smoothing = s`: per sample `(1 - s) * (-log p[y]) + s * mean_c(-log p[c])`, averaged over the batch.
    /// If `gradLogits` is given it receives `scale * (softmax - target) / batch` with
    /// `target = (1 - s) * onehot(y) + s / classes` (`scale` is the incoming gradient of the loss, usually 1).
    /// Returns the loss.
    public static func crossEntropy(batch: Int, classes: Int, logits: UnsafePointer<Float>, labels: UnsafePointer<Int64>,
                                    labelSmoothing s: Float = 0, gradLogits: UnsafeMutablePointer<Float>? = nil,
                                    scale: Float = 1) throws(KernelError) -> Float {
        try validate(labels: labels, batch: batch, classes: classes)
        var total: Double = 0
        let invBatch = scale / Float(batch)
        let smoothPerClass = s / Float(classes)
        for n in 0..<batch {
            let x = logits + n * classes
            var m = -Float.infinity
            for i in 0..<classes { m = max(m, x[i]) }
            var sum: Float = 0
            for i in 0..<classes { sum += expf(x[i] - m) }
            let logZ = m + logf(sum)
            let label = Int(labels[n])
            var sample = Double(1 - s) * Double(logZ - x[label])
            if s != 0 {
                var meanNeg: Double = 0
                for i in 0..<classes { meanNeg += Double(logZ - x[i]) }
                sample += Double(s) * meanNeg / Double(classes)
            }
            total += sample
            if let gradLogits {
                let g = gradLogits + n * classes
                for i in 0..<classes { g[i] = (expf(x[i] - logZ) - smoothPerClass) * invBatch }
                g[label] -= (1 - s) * invBatch
            }
        }
        return Float(total / Double(batch))
    }

    /// Negative log-likelihood on log-probabilities `[batch, classes]` (`torch.nn.functional.nll_loss`):
    /// `-mean(logProbs[n, y_n])`. If `gradInput` is given it receives `-scale / batch` at each label, 0 elsewhere.
    /// Returns the loss.
    public static func nll(batch: Int, classes: Int, logProbabilities: UnsafePointer<Float>, labels: UnsafePointer<Int64>,
                           gradInput: UnsafeMutablePointer<Float>? = nil, scale: Float = 1) throws(KernelError) -> Float {
        try validate(labels: labels, batch: batch, classes: classes)
        var total: Double = 0
        for n in 0..<batch { total -= Double(logProbabilities[n * classes + Int(labels[n])]) }
        if let gradInput {
            gradInput.update(repeating: 0, count: batch * classes)
            for n in 0..<batch { gradInput[n * classes + Int(labels[n])] = -scale / Float(batch) }
        }
        return Float(total / Double(batch))
    }
}
