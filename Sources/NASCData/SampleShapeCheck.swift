// SampleShapeCheck: reports when a data set's sample shape disagrees with a model space's input type.
import NASCIR

extension Dataset {
    /// Checks that samples of `sampleShape` can feed an input of type `input` (its leading batch dimension
    /// `N` dropped; a fixed leading dimension is also treated as the batch).
    ///
    /// - Throws: ``DiagnosticError`` at `location`, e.g. `data sample shape [1,8,8] does not match the space
    ///   input f32[N,1,28,28]`, or when the input is not `f32`.
    public static func check(sampleShape: [Int], matches input: TensorType, at location: SourceLocation = .unknown) throws {
        try check(sampleShape: sampleShape, dtype: .f32, matches: input, at: location)
    }

    /// As ``check(sampleShape:matches:at:)`` for samples of `dtype` (`i64` for token ids).
    static func check(sampleShape: [Int], dtype: DType, matches input: TensorType, at location: SourceLocation) throws {
        guard input.dtype == dtype else {
            let what = dtype == .i64 ? "token ids (i64)" : "f32"
            throw DiagnosticError(.error("data samples are \(what) but the space input is \(input)", at: location))
        }
        let perSample = Array(input.shape.dropFirst())
        let matches = !input.shape.isEmpty && perSample.count == sampleShape.count
            && zip(perSample, sampleShape).allSatisfy { $0.value == $1 }
        guard matches else {
            throw DiagnosticError(.error(
                "data sample shape \(format(sampleShape)) does not match the space input \(input)", at: location))
        }
    }

    /// Checks this data set's sample shape against a space input type; see ``check(sampleShape:matches:at:)``.
    /// Token data (``tokens``) needs an `i64` input, other data an `f32` one.
    public func check(matches input: TensorType, at location: SourceLocation = .unknown) throws {
        try Dataset.check(sampleShape: sampleShape, dtype: tokens == nil ? .f32 : .i64, matches: input, at: location)
    }
}
