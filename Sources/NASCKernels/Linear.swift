// Linear: fully connected layer y = x W^T + b (PyTorch weight layout [out, in]) via sgemm, forward and backward.
import COpenBLAS

/// Geometry of a fully connected layer: input `[batch, inFeatures]`, weight `[outFeatures, inFeatures]`,
/// bias `[outFeatures]`, output `[batch, outFeatures]`.
public struct LinearShape: Sendable, Equatable, Hashable {
    /// Batch size (N).
    public var batch: Int
    /// Input features.
    public var inFeatures: Int
    /// Output features.
    public var outFeatures: Int

    /// Creates a linear-layer geometry.
    public init(batch: Int, inFeatures: Int, outFeatures: Int) {
        self.batch = batch
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// True when all sizes are positive.
    public var isValid: Bool { batch > 0 && inFeatures > 0 && outFeatures > 0 }
}

/// Fully connected layer kernels on `cblas_sgemm`.
public enum Linear {
    /// Fewest rows per worker: enough multiply-adds (~64k) to pay for waking a worker.
    @inline(__always) static func minRows(_ s: LinearShape) -> Int { max(1, 65_536 / max(1, s.inFeatures * s.outFeatures)) }

    /// `output = input * weight^T + bias`.
    public static func forward(shape s: LinearShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        // Rows are independent: split the batch over the workers.
        Parallel.forEach(s.batch, minChunk: minRows(s)) { rows in
            var beta: Float = 0
            if let bias {
                for n in rows { (output + n * s.outFeatures).update(from: bias, count: s.outFeatures) }
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(s.outFeatures), Int32(s.inFeatures),
                        1, input + rows.lowerBound * s.inFeatures, Int32(s.inFeatures), weight, Int32(s.inFeatures), beta,
                        output + rows.lowerBound * s.outFeatures, Int32(s.outFeatures))
        }
    }

    /// `gradInput (+)= gradOutput * weight`. Overwrites unless `accumulate`.
    public static func backwardInput(shape s: LinearShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        Parallel.forEach(s.batch, minChunk: minRows(s)) { rows in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows.count), Int32(s.inFeatures), Int32(s.outFeatures),
                        1, gradOutput + rows.lowerBound * s.outFeatures, Int32(s.outFeatures), weight, Int32(s.inFeatures),
                        accumulate ? 1 : 0, gradInput + rows.lowerBound * s.inFeatures, Int32(s.inFeatures))
        }
    }

    /// `gradWeight (+)= gradOutput^T * input`. Overwrites unless `accumulate`.
    public static func backwardWeight(shape s: LinearShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        // Columns of the weight gradient are independent (each sums over the whole batch): split the input features.
        let minCols = max(64, 65_536 / max(1, s.batch * s.outFeatures))
        Parallel.forEach(s.inFeatures, minChunk: minCols) { cols in
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(s.outFeatures), Int32(cols.count), Int32(s.batch),
                        1, gradOutput, Int32(s.outFeatures), input + cols.lowerBound, Int32(s.inFeatures), accumulate ? 1 : 0,
                        gradWeight + cols.lowerBound, Int32(s.inFeatures))
        }
    }

    /// `gradBias (+)= gradOutput` summed over the batch. Overwrites unless `accumulate`.
    public static func backwardBias(shape s: LinearShape, gradOutput: UnsafePointer<Float>,
                                    gradBias: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        if !accumulate { gradBias.update(repeating: 0, count: s.outFeatures) }
        for n in 0..<s.batch {
            let row = gradOutput + n * s.outFeatures
            for o in 0..<s.outFeatures { gradBias[o] += row[o] }
        }
    }
}
