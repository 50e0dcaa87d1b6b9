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
    /// `output = input * weight^T + bias`.
    public static func forward(shape s: LinearShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        var beta: Float = 0
        if let bias {
            for n in 0..<s.batch { (output + n * s.outFeatures).update(from: bias, count: s.outFeatures) }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(s.batch), Int32(s.outFeatures), Int32(s.inFeatures),
                    1, input, Int32(s.inFeatures), weight, Int32(s.inFeatures), beta, output, Int32(s.outFeatures))
    }

    /// `gradInput (+)= gradOutput * weight`. Overwrites unless `accumulate`.
    public static func backwardInput(shape s: LinearShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(s.batch), Int32(s.inFeatures), Int32(s.outFeatures),
                    1, gradOutput, Int32(s.outFeatures), weight, Int32(s.inFeatures), accumulate ? 1 : 0,
                    gradInput, Int32(s.inFeatures))
    }

    /// `gradWeight (+)= gradOutput^T * input`. Overwrites unless `accumulate`.
    public static func backwardWeight(shape s: LinearShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(s.outFeatures), Int32(s.inFeatures), Int32(s.batch),
                    1, gradOutput, Int32(s.outFeatures), input, Int32(s.inFeatures), accumulate ? 1 : 0,
                    gradWeight, Int32(s.inFeatures))
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
