// ActivationTests: pointwise activations forward/backward vs float64 formulas and finite differences.
import Testing
@testable import NASCKernels

@Suite struct ActivationTests {
    /// Inputs spanning every piece of the piecewise functions (including around -3, 0, 3 and 6), none on a kink.
    static func inputs() -> [Float] {
        var rng = TestRNG(seed: 51)
        return rng.floats(301, scale: 8) + [-3.5, -2.9, -0.01, 0.01, 2.9, 3.1, 5.9, 6.1, 20, -20]
    }

    @Test(arguments: ActivationKind.allCases) func matchesFormulaAndFiniteDifferences(_ kind: ActivationKind) {
        let x = Self.inputs()
        var rng = TestRNG(seed: 53)
        let gy = rng.floats(x.count)
        var y = [Float](repeating: .nan, count: x.count), gx = y
        Activation.forward(kind, input: x, output: &y, count: x.count)
        expectClose(y, x.map { Ref.activation(kind, Double($0)) }, "\(kind) forward")
        Activation.backward(kind, input: x, output: y, gradOutput: gy, gradInput: &gx, count: x.count)
        expectClose(gx, (0..<x.count).map { Ref.activationDerivative(kind, Double(x[$0])) * Double(gy[$0]) }, "\(kind) backward")
        let fd = (0..<x.count).map { i -> Double in
            let h = 1e-6, xi = Double(x[i])
            return (Ref.activation(kind, xi + h) - Ref.activation(kind, xi - h)) / (2 * h) * Double(gy[i])
        }
        expectClose(gx, fd, "\(kind) backward vs FD")
    }

    @Test func forwardWorksInPlace() {
        var x: [Float] = [-1, 0.5, 7]
        x.withUnsafeMutableBufferPointer { p in
            Activation.forward(.relu6, input: UnsafePointer(p.baseAddress!), output: p.baseAddress!, count: 3)
        }
        #expect(x == [0, 0.5, 6])
    }

    @Test func boundaryGradientsFollowPyTorch() {
        let x: [Float] = [-3, 0, 3, 6]
        let gy: [Float] = [1, 1, 1, 1]
        var y = [Float](repeating: 0, count: 4), gx = y
        Activation.forward(.hardswish, input: x, output: &y, count: 4)
        Activation.backward(.hardswish, input: x, output: y, gradOutput: gy, gradInput: &gx, count: 4)
        #expect(gx == [0, 0.5, 1, 1])
        Activation.backward(.relu, input: x, output: y, gradOutput: gy, gradInput: &gx, count: 4)
        #expect(gx == [0, 0, 1, 1])
        Activation.backward(.relu6, input: x, output: y, gradOutput: gy, gradInput: &gx, count: 4)
        #expect(gx == [0, 0, 1, 0])
    }
}
