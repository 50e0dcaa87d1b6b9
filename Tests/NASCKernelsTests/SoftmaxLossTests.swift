// SoftmaxLossTests: softmax/log-softmax and the cross-entropy/NLL losses vs float64 references and finite differences.
import Testing
@testable import NASCKernels

@Suite struct SoftmaxLossTests {
    @Test(arguments: [(5, 7), (1, 1), (3, 19)]) func softmaxAndLogSoftmax(_ rows: Int, _ cols: Int) {
        var rng = TestRNG(seed: 71)
        let x = rng.floats(rows * cols, scale: 4), gy = rng.floats(rows * cols)
        let xd = doubles(x), gyd = doubles(gy)
        var y = [Float](repeating: .nan, count: x.count), gx = y
        Softmax.forward(rows: rows, columns: cols, input: x, output: &y)
        expectClose(y, Ref.softmax(rows: rows, cols: cols, xd), "softmax forward")
        Softmax.backward(rows: rows, columns: cols, output: y, gradOutput: gy, gradInput: &gx)
        expectClose(gx, numericGradient(xd) { dot(Ref.softmax(rows: rows, cols: cols, $0), gyd) }, "softmax backward vs FD")
        Softmax.logForward(rows: rows, columns: cols, input: x, output: &y)
        expectClose(y, Ref.logSoftmax(rows: rows, cols: cols, xd), "log_softmax forward")
        Softmax.logBackward(rows: rows, columns: cols, output: y, gradOutput: gy, gradInput: &gx)
        expectClose(gx, numericGradient(xd) { dot(Ref.logSoftmax(rows: rows, cols: cols, $0), gyd) }, "log_softmax backward vs FD")
    }

    @Test func softmaxIsStableForLargeLogits() {
        let x: [Float] = [1000, 1001, 999]
        var y = [Float](repeating: .nan, count: 3)
        Softmax.forward(rows: 1, columns: 3, input: x, output: &y)
        expectClose(y, Ref.softmax(rows: 1, cols: 3, [0, 1, -1]), "softmax of large logits")
        Softmax.logForward(rows: 1, columns: 3, input: x, output: &y)
        expectClose(y, Ref.logSoftmax(rows: 1, cols: 3, [0, 1, -1]), "log_softmax of large logits")
    }

    @Test(arguments: [Float(0), 0.1, 0.25]) func crossEntropyWithLabelSmoothing(_ smoothing: Float) throws {
        let batch = 4, classes = 6
        var rng = TestRNG(seed: 73)
        let logits = rng.floats(batch * classes, scale: 3)
        let labels: [Int64] = [0, 5, 2, 2]
        var grad = [Float](repeating: .nan, count: logits.count)
        let loss = try Loss.crossEntropy(batch: batch, classes: classes, logits: logits, labels: labels,
                                         labelSmoothing: smoothing, gradLogits: &grad)
        let ld = doubles(logits)
        let ref = Ref.crossEntropy(batch: batch, classes: classes, logits: ld, labels: labels, smoothing: Double(smoothing))
        expectClose([loss], [ref], "cross entropy loss")
        let fd = numericGradient(ld) {
            Ref.crossEntropy(batch: batch, classes: classes, logits: $0, labels: labels, smoothing: Double(smoothing))
        }
        expectClose(grad, fd, "cross entropy grad vs FD")
        // The incoming-gradient scale multiplies the gradient; no gradient buffer gives the same loss.
        var scaled = grad
        _ = try Loss.crossEntropy(batch: batch, classes: classes, logits: logits, labels: labels, labelSmoothing: smoothing,
                                  gradLogits: &scaled, scale: 0.5)
        expectClose(scaled, fd.map { 0.5 * $0 }, "cross entropy scaled grad")
        let lossOnly = try Loss.crossEntropy(batch: batch, classes: classes, logits: logits, labels: labels,
                                             labelSmoothing: smoothing)
        #expect(lossOnly == loss)
    }

    @Test func nllOnLogProbabilities() throws {
        let batch = 5, classes = 4
        var rng = TestRNG(seed: 75)
        let logp = Ref.logSoftmax(rows: batch, cols: classes, doubles(rng.floats(batch * classes, scale: 2))).map(Float.init)
        let labels: [Int64] = [3, 0, 1, 3, 2]
        var grad = [Float](repeating: .nan, count: logp.count)
        let loss = try Loss.nll(batch: batch, classes: classes, logProbabilities: logp, labels: labels, gradInput: &grad)
        let ld = doubles(logp)
        expectClose([loss], [Ref.nll(batch: batch, classes: classes, logp: ld, labels: labels)], "nll loss")
        expectClose(grad, numericGradient(ld) { Ref.nll(batch: batch, classes: classes, logp: $0, labels: labels) }, "nll grad vs FD")
    }

    @Test func outOfRangeLabelsThrow() {
        let logits = [Float](repeating: 0, count: 6)
        var grad = [Float](repeating: 7, count: 6)
        #expect(throws: KernelError.labelOutOfRange(index: 1, label: 3, classes: 3)) {
            try Loss.crossEntropy(batch: 2, classes: 3, logits: logits, labels: [0, 3], gradLogits: &grad)
        }
        #expect(grad.allSatisfy { $0 == 7 }, "nothing is written before validation")
        #expect(throws: KernelError.labelOutOfRange(index: 0, label: -1, classes: 3)) {
            try Loss.nll(batch: 2, classes: 3, logProbabilities: logits, labels: [-1, 0])
        }
    }
}
