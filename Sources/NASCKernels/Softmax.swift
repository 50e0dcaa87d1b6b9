// Softmax: softmax and log-softmax over the last dimension, forward and backward.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax and log-softmax over the last dimension of a `[rows, columns]` tensor (max-subtracted for stability).
public enum Softmax {
    /// `output[r, :] = softmax(input[r, :])`.
    public static func forward(rows: Int, columns: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let x = input + r * columns, y = output + r * columns
            var m = -Float.infinity
            for i in 0..<columns { m = max(m, x[i]) }
            var sum: Float = 0
            for i in 0..<columns { let e = expf(x[i] - m); y[i] = e; sum += e }
            let inv = 1 / sum
            for i in 0..<columns { y[i] *= inv }
        }
    }

    /// `gradInput = y * (gradOutput - sum(gradOutput * y))` per row, with `y` the softmax output.
    public static func backward(rows: Int, columns: Int, output: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let y = output + r * columns, g = gradOutput + r * columns, dx = gradInput + r * columns
            let dot = ChannelReduce.rowDot(g, y, count: columns)
            for i in 0..<columns { dx[i] = y[i] * (g[i] - dot) }
        }
    }

    /// `output[r, :] = log_softmax(input[r, :]) = x - max - log(sum(exp(x - max)))`.
    public static func logForward(rows: Int, columns: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let x = input + r * columns, y = output + r * columns
            var m = -Float.infinity
            for i in 0..<columns { m = max(m, x[i]) }
            var sum: Float = 0
            for i in 0..<columns { sum += expf(x[i] - m) }
            let shift = m + logf(sum)
            for i in 0..<columns { y[i] = x[i] - shift }
        }
    }

    /// `gradInput = gradOutput - exp(y) * sum(gradOutput)` per row, with `y` the log-softmax output.
    public static func logBackward(rows: Int, columns: Int, output: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                   gradInput: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let y = output + r * columns, g = gradOutput + r * columns, dx = gradInput + r * columns
            let sum = ChannelReduce.rowSum(g, count: columns)
            for i in 0..<columns { dx[i] = g[i] - expf(y[i]) * sum }
        }
    }
}
