// Elementwise: same-shape binary ops (add, mul), scaling, their backward, and gradient accumulation.

/// Binary elementwise ops over `count` contiguous floats (no broadcasting).
public enum Elementwise {
    /// Fewest elements per worker.
    static let chunk = 16_384

    /// `output = a + b`.
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                           count: Int) {
        Parallel.forEach(count, minChunk: chunk) { r in for i in r { output[i] = a[i] + b[i] } }
    }

    /// `output = a * b`.
    public static func mul(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                           count: Int) {
        Parallel.forEach(count, minChunk: chunk) { r in for i in r { output[i] = a[i] * b[i] } }
    }

    /// `output = factor * input` (`output` may be `input`).
    public static func scale(_ input: UnsafePointer<Float>, by factor: Float, output: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEach(count, minChunk: chunk) { r in for i in r { output[i] = factor * input[i] } }
    }

    /// Backward of `add`: both input gradients equal `gradOutput` (each written if given; overwrite or add).
    public static func addBackward(gradOutput: UnsafePointer<Float>, gradA: UnsafeMutablePointer<Float>?,
                                   gradB: UnsafeMutablePointer<Float>?, count: Int, accumulate: Bool = false) {
        if let gradA { copyOrAccumulate(gradOutput, into: gradA, count: count, accumulate: accumulate) }
        if let gradB { copyOrAccumulate(gradOutput, into: gradB, count: count, accumulate: accumulate) }
    }

    /// Backward of `mul`: `gradA = gradOutput * b`, `gradB = gradOutput * a` (each written if given).
    public static func mulBackward(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                   gradA: UnsafeMutablePointer<Float>?, gradB: UnsafeMutablePointer<Float>?, count: Int,
                                   accumulate: Bool = false) {
        if let gradA {
            if accumulate { for i in 0..<count { gradA[i] += gradOutput[i] * b[i] } }
            else { for i in 0..<count { gradA[i] = gradOutput[i] * b[i] } }
        }
        if let gradB {
            if accumulate { for i in 0..<count { gradB[i] += gradOutput[i] * a[i] } }
            else { for i in 0..<count { gradB[i] = gradOutput[i] * a[i] } }
        }
    }

    /// `destination (+)= source`: copies, or adds when `accumulate` (summing gradients of a shared value).
    public static func copyOrAccumulate(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>,
                                        count: Int, accumulate: Bool) {
        Parallel.forEach(count, minChunk: chunk) { r in
            if accumulate {
                for i in r { destination[i] += source[i] }
            } else {
                (destination + r.lowerBound).update(from: source + r.lowerBound, count: r.count)
            }
        }
    }
}
