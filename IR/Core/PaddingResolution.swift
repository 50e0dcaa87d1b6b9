// PaddingResolution: the symmetric pixel padding a `Padding` attribute stands for, given the input size.

extension Padding {
    /// Pixels of zero padding on each side for an input of `size` pixels: the explicit value, or for `same` half the
    /// total TensorFlow SAME padding (`ceil(size / stride)` outputs). `nil` when the value is not a constant or `same`
    /// would need asymmetric padding (an odd total), which nasc does not support.
    public func symmetricPixels(kernel: Int, stride: Int, dilation: Int, size: Int) -> Int? {
        switch self {
        case .explicit(let e): return e.constantInt
        case .same: return Padding.sameAmount(size: size, kernel: kernel, stride: stride, dilation: dilation)
        }
    }
}
