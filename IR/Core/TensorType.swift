// TensorType: element type plus shape, with a symbolic batch dimension.

/// Element type of a tensor.
public enum DType: String, Sendable, Hashable, CaseIterable {
    /// 32-bit IEEE float, the only training type today.
    case f32
    /// 64-bit signed integer (labels, token ids).
    case i64
}

/// One dimension of a tensor shape.
public enum Dim: Hashable, Sendable, CustomStringConvertible {
    /// The batch dimension, bound only when a plan is run. Printed `N`.
    case batch
    /// A dimension known at compile time.
    case fixed(Int)

    /// The size if fixed.
    public var value: Int? {
        if case .fixed(let v) = self { return v }
        return nil
    }

    /// `N` or the number.
    public var description: String {
        switch self {
        case .batch: return "N"
        case .fixed(let v): return String(v)
        }
    }
}

/// The static type of a tensor value: dtype and shape (NCHW for images).
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    /// Element type.
    public var dtype: DType
    /// Dimensions, outermost first.
    public var shape: [Dim]

    /// Creates a tensor type.
    public init(_ dtype: DType = .f32, _ shape: [Dim]) {
        self.dtype = dtype
        self.shape = shape
    }

    /// A batch-leading f32 type: `f32[N, dims...]`.
    public static func batched(_ dims: Int..., dtype: DType = .f32) -> TensorType {
        TensorType(dtype, [.batch] + dims.map { .fixed($0) })
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Product of the fixed dimensions (the batch dimension counts as 1).
    public var elementsPerSample: Int {
        shape.reduce(1) { $0 * ($1.value ?? 1) }
    }

    /// `f32[N,1,28,28]`.
    public var description: String {
        "\(dtype.rawValue)[\(shape.map(\.description).joined(separator: ","))]"
    }
}
