// ParameterOptimizer: the interface the executor uses to update one flat parameter buffer from its gradient.
import NASCIR

/// An optimizer that updates flat float parameter buffers in place.
///
/// State is explicit: for each parameter of `count` floats the caller allocates one zero-filled block of
/// `stateBuffersPerParameter * count` floats once, keeps it across steps and may checkpoint it, together with
/// the parameter's step count. A parameter that gets no gradient in a step is simply not stepped (as PyTorch
/// skips parameters whose `grad` is `None`), so step counts are per parameter.
public protocol ParameterOptimizer: Sendable {
    /// The learning rate used when a schedule does not override it.
    var learningRate: Double { get }
    /// How many parameter-sized state buffers each parameter needs (0 when the optimizer is stateless).
    var stateBuffersPerParameter: Int { get }
    /// Updates `count` parameters in place from their gradients.
    ///
    /// - Parameters:
    ///   - parameter: the parameter values, updated in place.
    ///   - gradient: the gradient, read only.
    ///   - count: number of floats in each buffer.
    ///   - state: `stateBuffersPerParameter * count` floats (nil allowed only when that is 0).
    ///   - step: how many updates this parameter has had, including this one (1 on the first update).
    ///   - learningRate: the learning rate for this step (from a schedule, or ``learningRate``).
    func step(parameter: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, count: Int,
              state: UnsafeMutablePointer<Float>?, step: Int, learningRate: Double)
}

extension ParameterOptimizer {
    /// Array convenience (allocation-free apart from what the caller passes); used by tests and small tools.
    public func step(parameter: inout [Float], gradient: [Float], state: inout [Float], step: Int, learningRate: Double? = nil) {
        let lr = learningRate ?? self.learningRate
        precondition(gradient.count == parameter.count && state.count == stateBuffersPerParameter * parameter.count,
                     "ParameterOptimizer.step: buffer sizes disagree")
        parameter.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                state.withUnsafeMutableBufferPointer { s in
                    self.step(parameter: p.baseAddress!, gradient: g.baseAddress!, count: p.count,
                              state: s.baseAddress, step: step, learningRate: lr)
                }
            }
        }
    }
}

/// Shared validation for optimizer hyper-parameters.
enum OptimizerCheck {
    static func require(_ ok: Bool, _ message: String) throws {
        if !ok { throw DiagnosticError(.error(message)) }
    }
}
