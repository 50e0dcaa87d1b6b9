// Transpose: swaps two dimensions of a dense tensor (a layout change, e.g. [N,T,C] to [N,C,T]).

/// Swapping two dimensions.
public enum Transpose {
    /// Writes `input` (of `shape`, row major) with dimensions `axis0 < axis1` swapped into `output`.
    public static func swap(shape: [Int], axis0: Int, axis1: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        precondition(axis0 >= 0 && axis0 < axis1 && axis1 < shape.count, "Transpose.swap: axes out of order")
        let outer = shape[..<axis0].reduce(1, *), a = shape[axis0], mid = shape[(axis0 + 1)..<axis1].reduce(1, *)
        let b = shape[axis1], inner = shape[(axis1 + 1)...].reduce(1, *)
        let block = a * mid * b * inner
        Parallel.forEach(outer, minChunk: max(1, 65_536 / max(1, block))) { range in
            for o in range {
                let x = input + o * block, y = output + o * block
                for i in 0..<a {
                    for m in 0..<mid {
                        for j in 0..<b {
                            // x[i, m, j, :] -> y[j, m, i, :]
                            (y + ((j * mid + m) * a + i) * inner).update(from: x + ((i * mid + m) * b + j) * inner, count: inner)
                        }
                    }
                }
            }
        }
    }
}
