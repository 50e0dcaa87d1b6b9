// ValueExpr <-> protobuf: the recursive value-choice expression and its operator enum.

extension ValueExpr {
    /// The protobuf form.
    var proto: Nasc_Ir_ValueExpr {
        var p = Nasc_Ir_ValueExpr()
        switch self {
        case .const(.int(let i)): p.intValue = Int64(i)
        case .const(.float(let f)): p.floatValue = f
        case .choice(let l): p.choice = l
        case .binary(let op, let a, let b):
            var e = Nasc_Ir_BinaryExpr()
            e.op = op.proto
            e.lhs = a.proto
            e.rhs = b.proto
            p.binary = e
        case .neg(let a): p.neg = a.proto
        case .min(let xs): p.min = .with { $0.items = xs.map(\.proto) }
        case .max(let xs): p.max = .with { $0.items = xs.map(\.proto) }
        case .cond(let c, let a, let b):
            var e = Nasc_Ir_CondExpr()
            e.cond = c.proto
            e.thenValue = a.proto
            e.elseValue = b.proto
            p.cond = e
        }
        return p
    }

    /// Reads the protobuf form; an expression with no case set, or an unknown operator, is an error.
    init(proto p: Nasc_Ir_ValueExpr) throws {
        switch p.kind {
        case nil: throw ProtoFormatError("value expression has no value")
        case .intValue(let i)?: self = .int(Int(i))
        case .floatValue(let f)?: self = .float(f)
        case .choice(let l)?: self = .choice(l)
        case .binary(let e)?:
            self = .binary(try BinaryOp(proto: e.op), try ValueExpr(proto: e.lhs), try ValueExpr(proto: e.rhs))
        case .neg(let a)?: self = .neg(try ValueExpr(proto: a))
        case .min(let xs)?: self = .min(try xs.items.map { try ValueExpr(proto: $0) })
        case .max(let xs)?: self = .max(try xs.items.map { try ValueExpr(proto: $0) })
        case .cond(let e)?:
            self = .cond(try ValueExpr(proto: e.cond), try ValueExpr(proto: e.thenValue), try ValueExpr(proto: e.elseValue))
        }
    }
}

extension BinaryOp {
    /// The protobuf enum value.
    var proto: Nasc_Ir_BinaryOp {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .floorDiv: return .floorDiv
        case .mod: return .mod
        case .lt: return .lt
        case .le: return .le
        case .gt: return .gt
        case .ge: return .ge
        case .eq: return .eq
        case .ne: return .ne
        }
    }

    /// Reads the protobuf enum; unspecified and unknown values are errors.
    init(proto p: Nasc_Ir_BinaryOp) throws {
        switch p {
        case .add: self = .add
        case .sub: self = .sub
        case .mul: self = .mul
        case .div: self = .div
        case .floorDiv: self = .floorDiv
        case .mod: self = .mod
        case .lt: self = .lt
        case .le: self = .le
        case .gt: self = .gt
        case .ge: self = .ge
        case .eq: self = .eq
        case .ne: self = .ne
        case .unspecified: throw ProtoFormatError("binary expression has no operator")
        case .UNRECOGNIZED(let v): throw ProtoFormatError("unknown binary operator value \(v)")
        }
    }
}
