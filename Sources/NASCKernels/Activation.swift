// Activation: pointwise activation functions (relu, relu6, sigmoid, tanh, gelu, hardswish), forward and backward.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pointwise activation function, with PyTorch's definitions.
public enum ActivationKind: String, Sendable, CaseIterable, Equatable, Hashable {
    /// `max(x, 0)`; gradient 1 where `x > 0`.
    case relu
    /// `min(max(x, 0), 6)`; gradient 1 where `0 < x < 6`.
    case relu6
    /// `1 / (1 + exp(-x))`.
    case sigmoid
    /// `tanh(x)`.
    case tanh
    /// Exact GELU `x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2))` (PyTorch's default `approximate='none'`).
    case gelu
    /// `x * relu6(x + 3) / 6`; gradient 0 for `x <= -3`, `x / 3 + 0.5` for `-3 < x < 3`, 1 from 3 on (as PyTorch 2.x).
    case hardswish
}

/// Pointwise activations over `count` contiguous floats. Input and output may alias for `forward`.
public enum Activation {
    /// `output[i] = f(input[i])`.
    public static func forward(_ kind: ActivationKind, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               count: Int) {
        Parallel.forEach(count, minChunk: elementChunk) { r in
            forwardRange(kind, input: input + r.lowerBound, output: output + r.lowerBound, count: r.count)
        }
    }

    /// Fewest elements per worker.
    static let elementChunk = 16_384

    /// ``forward(_:input:output:count:)`` on one thread.
    static func forwardRange(_ kind: ActivationKind, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                             count: Int) {
        switch kind {
        case .relu:
            for i in 0..<count { let x = input[i]; output[i] = x > 0 ? x : 0 }
        case .relu6:
            for i in 0..<count { let x = input[i]; output[i] = min(max(x, 0), 6) }
        case .sigmoid:
            for i in 0..<count { output[i] = 1 / (1 + expf(-input[i])) }
        case .tanh:
            for i in 0..<count { output[i] = tanhf(input[i]) }
        case .gelu:
            let invSqrt2: Float = 0.70710678118654752440
            for i in 0..<count { let x = input[i]; output[i] = 0.5 * x * (1 + erff(x * invSqrt2)) }
        case .hardswish:
            for i in 0..<count { let x = input[i]; output[i] = x * min(max(x + 3, 0), 6) / 6 }
        }
    }

    /// `gradInput[i] = f'(input[i]) * gradOutput[i]`. `output` is the forward result (used by sigmoid and
    /// tanh; the others read `input`). `gradInput` may alias `gradOutput`.
    public static func backward(_ kind: ActivationKind, input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEach(count, minChunk: elementChunk) { r in
            let o = r.lowerBound
            backwardRange(kind, input: input + o, output: output + o, gradOutput: gradOutput + o, gradInput: gradInput + o, count: r.count)
        }
    }

    /// ``backward(_:input:output:gradOutput:gradInput:count:)`` on one thread.
    static func backwardRange(_ kind: ActivationKind, input: UnsafePointer<Float>, output: UnsafePointer<Float>,
                              gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>, count: Int) {
        switch kind {
        case .relu:
            // Unconditional loads + select, so the loop vectorizes (a conditional load does not).
            for i in 0..<count { let g = gradOutput[i]; gradInput[i] = input[i] > 0 ? g : 0 }
        case .relu6:
            for i in 0..<count { let x = input[i], g = gradOutput[i]; gradInput[i] = (x > 0 && x < 6) ? g : 0 }
        case .sigmoid:
            for i in 0..<count { let y = output[i]; gradInput[i] = gradOutput[i] * y * (1 - y) }
        case .tanh:
            for i in 0..<count { let y = output[i]; gradInput[i] = gradOutput[i] * (1 - y * y) }
        case .gelu:
            let invSqrt2: Float = 0.70710678118654752440
            let invSqrt2Pi: Float = 0.39894228040143267794
            for i in 0..<count {
                let x = input[i]
                let cdf = 0.5 * (1 + erff(x * invSqrt2))
                let pdf = invSqrt2Pi * expf(-0.5 * x * x)
                gradInput[i] = gradOutput[i] * (cdf + x * pdf)
            }
        case .hardswish:
            for i in 0..<count {
                let x = input[i]
                gradInput[i] = x <= -3 ? 0 : (x < 3 ? gradOutput[i] * (x / 3 + 0.5) : gradOutput[i])
            }
        }
    }
}
