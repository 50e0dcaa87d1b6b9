// Scalar <-> protobuf: an int64 or a double.

extension Scalar {
    /// The protobuf form.
    var proto: Nasc_Ir_Scalar {
        var p = Nasc_Ir_Scalar()
        switch self {
        case .int(let i): p.intValue = Int64(i)
        case .float(let f): p.floatValue = f
        }
        return p
    }

    /// Reads the protobuf form; a scalar with neither case set is an error.
    init(proto p: Nasc_Ir_Scalar) throws {
        switch p.value {
        case .intValue(let i)?: self = .int(Int(i))
        case .floatValue(let f)?: self = .float(f)
        case nil: throw ProtoFormatError("scalar has no value")
        }
    }
}
