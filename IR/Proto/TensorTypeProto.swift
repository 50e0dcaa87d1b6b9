// TensorType <-> protobuf: the dtype enum and dims with -1 as the batch dimension.

extension TensorType {
    /// The sentinel for ``Dim/batch`` in `TensorType.dims`.
    static let protoBatchDim: Int64 = -1

    /// The protobuf form. Throws for a negative fixed dimension, which has no encoding.
    func toProto() throws -> Nasc_Ir_TensorType {
        var p = Nasc_Ir_TensorType()
        switch dtype {
        case .f32: p.dtype = .f32
        case .i64: p.dtype = .i64
        }
        p.dims = try shape.map { d in
            switch d {
            case .batch: return Self.protoBatchDim
            case .fixed(let v):
                guard v >= 0 else { throw ProtoFormatError("type \(self) has a negative dimension \(v)") }
                return Int64(v)
            }
        }
        return p
    }

    /// Reads the protobuf form; rejects an unspecified or unknown dtype and negative dims other than -1.
    init(proto p: Nasc_Ir_TensorType) throws {
        let dtype: DType
        switch p.dtype {
        case .f32: dtype = .f32
        case .i64: dtype = .i64
        case .unspecified: throw ProtoFormatError("tensor type has no dtype")
        case .UNRECOGNIZED(let v): throw ProtoFormatError("unknown dtype value \(v)")
        }
        let shape: [Dim] = try p.dims.map { v in
            if v == Self.protoBatchDim { return .batch }
            guard v >= 0 else { throw ProtoFormatError("invalid dimension \(v) (only -1, the batch dimension, may be negative)") }
            return .fixed(Int(v))
        }
        self.init(dtype, shape)
    }
}
