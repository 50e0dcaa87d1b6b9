// TestSupport: seeded random data, the shared tolerance check, finite differences and pointer helpers for kernel tests.
import Testing
@testable import NASCKernels

/// Deterministic SplitMix64 generator for test data.
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// `count` floats uniform in `[-scale, scale)`.
    mutating func floats(_ count: Int, scale: Float = 1, offset: Float = 0) -> [Float] {
        (0..<count).map { _ in Float.random(in: -scale..<scale, using: &self) + offset }
    }
}

/// The tolerance used throughout the kernel tests (mixed absolute/relative):
/// element `i` passes when `|actual - expected| <= rtol * max(|expected|, rms(expected))`.
/// The tensor's RMS is the absolute floor, so values far below the tensor's typical magnitude
/// (e.g. cancellations near zero) are judged on the tensor's scale; everything else is relative.
/// `normalizedError` returns the largest `|actual - expected| / max(|expected|, rms)`.
enum Tolerance {
    static let rtol = 1e-4

    static func normalizedError(_ actual: [Float], _ expected: [Double]) -> Double {
        guard actual.count == expected.count else { return .infinity }
        if expected.isEmpty { return 0 }
        let rms = (expected.reduce(0) { $0 + $1 * $1 } / Double(expected.count)).squareRoot()
        let floor = max(rms, 1e-30)
        var worst = 0.0
        for i in 0..<actual.count {
            let a = Double(actual[i])
            if a.isNaN != expected[i].isNaN { return .infinity }
            if a.isNaN { continue }
            worst = max(worst, abs(a - expected[i]) / max(abs(expected[i]), floor))
        }
        return worst
    }

    static func normalizedError(_ actual: [Float], _ expected: [Float]) -> Double {
        normalizedError(actual, expected.map(Double.init))
    }
}

/// Expects `actual` to match `expected` within `Tolerance.rtol` (or a looser `rtol`); returns the error.
@discardableResult
func expectClose(_ actual: [Float], _ expected: [Double], rtol: Double = Tolerance.rtol, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    #expect(actual.count == expected.count, "\(what): count \(actual.count) vs \(expected.count)", sourceLocation: sourceLocation)
    let err = Tolerance.normalizedError(actual, expected)
    #expect(err <= rtol, "\(what): normalized error \(err) > \(rtol)", sourceLocation: sourceLocation)
    return err
}

@discardableResult
func expectClose(_ actual: [Float], _ expected: [Float], rtol: Double = Tolerance.rtol, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    expectClose(actual, expected.map(Double.init), rtol: rtol, what, sourceLocation: sourceLocation)
}

/// Central finite differences of a scalar function of `x`, in Double.
func numericGradient(_ x: [Double], step h: Double = 1e-5, _ f: ([Double]) -> Double) -> [Double] {
    var p = x
    var grad = [Double](repeating: 0, count: x.count)
    for i in 0..<x.count {
        let orig = p[i]
        p[i] = orig + h
        let fp = f(p)
        p[i] = orig - h
        let fm = f(p)
        p[i] = orig
        grad[i] = (fp - fm) / (2 * h)
    }
    return grad
}

/// `sum(a * b)` in Double.
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}

/// Converts Float data to Double.
func doubles(_ x: [Float]) -> [Double] { x.map(Double.init) }

/// Calls `body` with a pointer to `array`'s storage, or nil.
func withOptionalPointer<R>(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Calls `body` with a mutable pointer to `array`'s storage, or nil.
func withOptionalMutablePointer<R>(_ array: inout [Float]?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    guard array != nil else { return body(nil) }
    return array!.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
