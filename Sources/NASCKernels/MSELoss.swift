// MSELoss: mean squared error between predictions and float targets (regression), forward and backward.

extension Loss {
    /// Mean squared error on `predictions` and `targets`, both `[batch, outputs]`, as
    /// `torch.nn.functional.mse_loss(reduction='mean')`: `mean((p - t)^2)` over all `batch * outputs` values.
    /// If `gradInput` is given it receives `scale * 2 (p - t) / (batch * outputs)` (`scale` is the incoming gradient
    /// of the loss, usually 1). Returns the loss, accumulated in double precision.
    public static func mse(batch: Int, outputs: Int, predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>,
                           gradInput: UnsafeMutablePointer<Float>? = nil, scale: Float = 1) -> Float {
        let count = batch * outputs
        guard count > 0 else { return 0 }
        var total: Double = 0
        let g = 2 * scale / Float(count)
        for i in 0..<count {
            let d = predictions[i] - targets[i]
            total += Double(d) * Double(d)
            if let gradInput { gradInput[i] = g * d }
        }
        return Float(total / Double(count))
    }
}
