// Conv2D: 2-D convolution (stride, padding, dilation, groups) as per-image im2col + sgemm, forward and backward.
// Small stride-1 convolutions go to DirectConv2D instead (no im2col; see DirectConv2D.supports).
import COpenBLAS

/// 2-D convolution over NCHW float32 tensors with OIHW weights.
///
/// Each image and group is unfolded with im2col into a caller-provided workspace and multiplied
/// with `cblas_sgemm` (the batch is never unfolded at once). 1x1/stride-1/unpadded convolutions
/// skip im2col; depthwise shapes dispatch to `DepthwiseConv2D`. No allocation happens inside.
public enum Conv2D {
    /// Floats of workspace the forward and backward calls need for `shape` (0 when no im2col is needed).
    public static func workspaceSize(_ s: Conv2DShape) -> Int {
        if s.isDepthwise || s.isPointwise { return 0 }
        return s.groupInChannels * s.kernelHeight * s.kernelWidth * s.outHeight * s.outWidth
    }

    /// `output = conv(input, weight) + bias`. `workspace` must hold `workspaceSize(shape)` floats.
    public static func forward(shape s: Conv2DShape, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
                               workspace: UnsafeMutablePointer<Float>?) {
        if s.isDepthwise {
            DepthwiseConv2D.forward(shape: s, input: input, weight: weight, bias: bias, output: output)
            return
        }
        if let workspace, DirectConv2D.supportsForward(s) {
            DirectConv2D.forward(shape: s, input: input, weight: weight, bias: bias, output: output, workspace: workspace)
            return
        }
        let ohw = s.outHeight * s.outWidth, hw = s.inHeight * s.inWidth
        let cg = s.groupInChannels, ocg = s.groupOutChannels
        let kdim = cg * s.kernelHeight * s.kernelWidth
        if !s.isPointwise && workspace == nil { preconditionFailure("Conv2D.forward: workspace required") }
        // Images are independent: split the batch; worker 0 uses the caller's workspace, the others their own.
        let parts = Parallel.parts(s.batch, minChunk: 1)
        Parallel.run(parts) { t in
            let cols = s.isPointwise ? nil : (t == 0 ? workspace : ThreadScratch.floats(workspaceSize(s)))
            for n in Parallel.chunk(t, of: parts, count: s.batch) {
                for g in 0..<s.groups {
                    let image = input + (n * s.inChannels + g * cg) * hw
                    let out = output + (n * s.outChannels + g * ocg) * ohw
                    let columns = Im2Col.columns(shape: s, image: image, scratch: cols)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(ocg), Int32(ohw), Int32(kdim),
                                1, weight + g * ocg * kdim, Int32(kdim), columns, Int32(ohw), 0, out, Int32(ohw))
                    if let bias {
                        // Added while this image's output is still in cache.
                        for o in 0..<ocg {
                            let row = out + o * ohw, v = bias[g * ocg + o]
                            for i in 0..<ohw { row[i] += v }
                        }
                    }
                }
            }
        }
    }

    /// Gradient w.r.t. the input (GEMM into columns, then col2im). Overwrites `gradInput` unless `accumulate`.
    public static func backwardInput(shape s: Conv2DShape, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>?,
                                     accumulate: Bool = false) {
        if s.isDepthwise {
            DepthwiseConv2D.backwardInput(shape: s, gradOutput: gradOutput, weight: weight, gradInput: gradInput,
                                          accumulate: accumulate)
            return
        }
        if let workspace, DirectConv2D.supportsBackwardInput(s) {
            DirectConv2D.backwardInput(shape: s, gradOutput: gradOutput, weight: weight, gradInput: gradInput, workspace: workspace,
                                       accumulate: accumulate)
            return
        }
        let ohw = s.outHeight * s.outWidth, hw = s.inHeight * s.inWidth
        let cg = s.groupInChannels, ocg = s.groupOutChannels
        let kdim = cg * s.kernelHeight * s.kernelWidth
        if !s.isPointwise && workspace == nil { preconditionFailure("Conv2D.backwardInput: workspace required") }
        let parts = Parallel.parts(s.batch, minChunk: 1)
        Parallel.run(parts) { t in
            let cols = s.isPointwise ? nil : (t == 0 ? workspace : ThreadScratch.floats(workspaceSize(s)))
            let images = Parallel.chunk(t, of: parts, count: s.batch)
            if !accumulate && !s.isPointwise && !images.isEmpty {
                (gradInput + images.lowerBound * s.inChannels * hw).update(repeating: 0, count: images.count * s.inChannels * hw)
            }
            for n in images {
                for g in 0..<s.groups {
                    let gin = gradInput + (n * s.inChannels + g * cg) * hw
                    let gout = gradOutput + (n * s.outChannels + g * ocg) * ohw
                    let wg = weight + g * ocg * kdim
                    if let cols {
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(kdim), Int32(ohw), Int32(ocg),
                                    1, wg, Int32(kdim), gout, Int32(ohw), 0, cols, Int32(ohw))
                        Im2Col.col2im(shape: s, columns: cols, image: gin)
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(kdim), Int32(ohw), Int32(ocg),
                                    1, wg, Int32(kdim), gout, Int32(ohw), accumulate ? 1 : 0, gin, Int32(ohw))
                    }
                }
            }
        }
    }

    /// Gradient w.r.t. the weight, summed over the batch. Overwrites `gradWeight` unless `accumulate`.
    public static func backwardWeight(shape s: Conv2DShape, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradWeight: UnsafeMutablePointer<Float>, workspace: UnsafeMutablePointer<Float>?,
                                      accumulate: Bool = false) {
        if s.isDepthwise {
            DepthwiseConv2D.backwardWeight(shape: s, input: input, gradOutput: gradOutput, gradWeight: gradWeight,
                                           accumulate: accumulate)
            return
        }
        if let workspace, DirectConv2D.supportsBackwardWeight(s) {
            DirectConv2D.backwardWeight(shape: s, input: input, gradOutput: gradOutput, gradWeight: gradWeight, workspace: workspace,
                                        accumulate: accumulate)
            return
        }
        let ohw = s.outHeight * s.outWidth, hw = s.inHeight * s.inWidth
        let cg = s.groupInChannels, ocg = s.groupOutChannels
        let kdim = cg * s.kernelHeight * s.kernelWidth
        // Worker 0 sums its images into gradWeight, worker t > 0 into a partial in the workspace (which then holds
        // no columns: every worker takes its columns from its own scratch); partials are added in worker order.
        let wc = s.weightCount
        let room = s.isPointwise ? 0 : (workspace == nil ? 0 : workspaceSize(s) / max(wc, 1))
        if !s.isPointwise && workspace == nil { preconditionFailure("Conv2D.backwardWeight: workspace required") }
        let parts = max(1, min(Parallel.parts(s.batch, minChunk: 1), room + 1))
        Parallel.run(parts) { t in
            let images = Parallel.chunk(t, of: parts, count: s.batch)
            let target = t == 0 ? gradWeight : workspace.unsafelyUnwrapped + (t - 1) * wc
            let cols = s.isPointwise ? nil : (parts == 1 ? workspace : ThreadScratch.floats(workspaceSize(s)))
            if images.isEmpty && (t > 0 || !accumulate) { target.update(repeating: 0, count: wc) }
            for n in images {
                let beta: Float = (n == images.lowerBound && (t > 0 || !accumulate)) ? 0 : 1
                for g in 0..<s.groups {
                    let image = input + (n * s.inChannels + g * cg) * hw
                    let gout = gradOutput + (n * s.outChannels + g * ocg) * ohw
                    let columns = Im2Col.columns(shape: s, image: image, scratch: cols)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(ocg), Int32(kdim), Int32(ohw),
                                1, gout, Int32(ohw), columns, Int32(ohw), beta, target + g * ocg * kdim, Int32(kdim))
                }
            }
        }
        for t in 1..<parts {
            let partial = workspace.unsafelyUnwrapped + (t - 1) * wc
            for i in 0..<wc { gradWeight[i] += partial[i] }
        }
    }

    /// Gradient w.r.t. the bias: `gradOutput` summed over batch and space. Overwrites unless `accumulate`.
    public static func backwardBias(shape s: Conv2DShape, gradOutput: UnsafePointer<Float>,
                                    gradBias: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
        ChannelReduce.sumPerChannel(gradOutput, batch: s.batch, channels: s.outChannels,
                                    spatial: s.outHeight * s.outWidth, into: gradBias, accumulate: accumulate)
    }
}
