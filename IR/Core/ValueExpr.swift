// ValueExpr: ValueChoice arithmetic. An attribute is a constant or an expression over value-choice labels.

/// A scalar value a ValueChoice can take.
public enum Scalar: Hashable, Sendable, CustomStringConvertible {
    case int(Int)
    case float(Double)

    /// The value as a Double.
    public var asDouble: Double {
        switch self {
        case .int(let i): return Double(i)
        case .float(let f): return f
        }
    }

    /// The value as an Int if it is integral.
    public var asInt: Int? {
        switch self {
        case .int(let i): return i
        case .float(let f): return f.rounded() == f && abs(f) < 1e15 ? Int(f) : nil
        }
    }

    /// `3` or `0.5` (floats always print with a decimal point or exponent).
    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .float(let f):
            let s = String(f)
            return s.contains(".") || s.contains("e") || s.contains("n") || s.contains("i") ? s : s + ".0"
        }
    }
}

/// Binary operators allowed in value-choice expressions.
public enum BinaryOp: String, Sendable, Hashable, CaseIterable {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%"
    case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="

    /// Binding strength for printing (higher binds tighter).
    public var precedence: Int {
        switch self {
        case .lt, .le, .gt, .ge, .eq, .ne: return 1
        case .add, .sub: return 2
        case .mul, .div, .floorDiv, .mod: return 3
        }
    }
}

/// An integer or float attribute value: a constant, a value-choice label, or arithmetic over them.
///
/// Choices with the same label are one decision: every `.choice("width")` reads the same value.
public indirect enum ValueExpr: Hashable, Sendable, CustomStringConvertible {
    /// A constant.
    case const(Scalar)
    /// The value chosen for the ValueChoice with this label.
    case choice(String)
    /// `lhs op rhs`.
    case binary(BinaryOp, ValueExpr, ValueExpr)
    /// `-x`.
    case neg(ValueExpr)
    /// `min(a, b, ...)`.
    case min([ValueExpr])
    /// `max(a, b, ...)`.
    case max([ValueExpr])
    /// `cond ? a : b` (cond is true when non-zero).
    case cond(ValueExpr, ValueExpr, ValueExpr)

    /// An integer constant.
    public static func int(_ v: Int) -> ValueExpr { .const(.int(v)) }
    /// A float constant.
    public static func float(_ v: Double) -> ValueExpr { .const(.float(v)) }

    /// The constant value, if the expression has no choice in it.
    public var constant: Scalar? {
        labels.isEmpty ? (try? evaluate { _ in nil }) : nil
    }

    /// The constant as an Int, if it is one.
    public var constantInt: Int? { constant?.asInt }

    /// Every value-choice label the expression reads, in first-use order.
    public var labels: [String] {
        var out: [String] = []
        func walk(_ e: ValueExpr) {
            switch e {
            case .const: break
            case .choice(let l): if !out.contains(l) { out.append(l) }
            case .binary(_, let a, let b): walk(a); walk(b)
            case .neg(let a): walk(a)
            case .min(let xs), .max(let xs): xs.forEach(walk)
            case .cond(let c, let a, let b): walk(c); walk(a); walk(b)
            }
        }
        walk(self)
        return out
    }

    /// Errors from evaluation.
    public enum EvalError: Error, Hashable, Sendable, CustomStringConvertible {
        case unboundLabel(String)
        case divisionByZero
        case emptyMinMax
        public var description: String {
            switch self {
            case .unboundLabel(let l): return "no value chosen for value choice '\(l)'"
            case .divisionByZero: return "division by zero in value-choice expression"
            case .emptyMinMax: return "min/max of no values"
            }
        }
    }

    /// Evaluates with `lookup` giving the chosen value of each label. Int arithmetic stays Int
    /// except `/`, which is true division (Python semantics, as in NNI).
    public func evaluate(_ lookup: (String) -> Scalar?) throws -> Scalar {
        switch self {
        case .const(let s): return s
        case .choice(let l):
            guard let v = lookup(l) else { throw EvalError.unboundLabel(l) }
            return v
        case .neg(let a):
            switch try a.evaluate(lookup) {
            case .int(let i): return .int(0 &- i)  // wraps for Int.min, like the other int ops (never traps)
            case .float(let f): return .float(-f)
            }
        case .binary(let op, let a, let b):
            return try Self.apply(op, try a.evaluate(lookup), try b.evaluate(lookup))
        case .min(let xs), .max(let xs):
            guard !xs.isEmpty else { throw EvalError.emptyMinMax }
            let vals = try xs.map { try $0.evaluate(lookup) }
            var best = vals[0]
            for v in vals.dropFirst() {
                let better: Bool
                if case .min = self { better = v.asDouble < best.asDouble } else { better = v.asDouble > best.asDouble }
                if better { best = v }
            }
            return best
        case .cond(let c, let a, let b):
            return try c.evaluate(lookup).asDouble != 0 ? a.evaluate(lookup) : b.evaluate(lookup)
        }
    }

    static func apply(_ op: BinaryOp, _ x: Scalar, _ y: Scalar) throws -> Scalar {
        if case .int(let a) = x, case .int(let b) = y {
            switch op {
            case .add: return .int(a &+ b)
            case .sub: return .int(a &- b)
            case .mul: return .int(a &* b)
            // Int.min / -1 overflows: the *ReportingOverflow forms wrap instead of trapping on hostile input.
            case .div:
                guard b != 0 else { throw EvalError.divisionByZero }
                return a.remainderReportingOverflow(dividingBy: b).partialValue == 0
                    ? .int(a.dividedReportingOverflow(by: b).partialValue) : .float(Double(a) / Double(b))
            case .floorDiv:
                guard b != 0 else { throw EvalError.divisionByZero }
                let q = a.dividedReportingOverflow(by: b).partialValue
                let r = a.remainderReportingOverflow(dividingBy: b).partialValue
                return .int((r != 0 && ((a < 0) != (b < 0))) ? q &- 1 : q)
            case .mod:
                guard b != 0 else { throw EvalError.divisionByZero }
                let r = a.remainderReportingOverflow(dividingBy: b).partialValue
                return .int(r != 0 && ((r < 0) != (b < 0)) ? r &+ b : r)
            case .lt: return .int(a < b ? 1 : 0)
            case .le: return .int(a <= b ? 1 : 0)
            case .gt: return .int(a > b ? 1 : 0)
            case .ge: return .int(a >= b ? 1 : 0)
            case .eq: return .int(a == b ? 1 : 0)
            case .ne: return .int(a != b ? 1 : 0)
            }
        }
        let a = x.asDouble, b = y.asDouble
        switch op {
        case .add: return .float(a + b)
        case .sub: return .float(a - b)
        case .mul: return .float(a * b)
        case .div:
            guard b != 0 else { throw EvalError.divisionByZero }
            return .float(a / b)
        case .floorDiv:
            guard b != 0 else { throw EvalError.divisionByZero }
            return .float((a / b).rounded(.down))
        case .mod:
            guard b != 0 else { throw EvalError.divisionByZero }
            let r = a.truncatingRemainder(dividingBy: b)
            return .float(r != 0 && ((r < 0) != (b < 0)) ? r + b : r)
        case .lt: return .int(a < b ? 1 : 0)
        case .le: return .int(a <= b ? 1 : 0)
        case .gt: return .int(a > b ? 1 : 0)
        case .ge: return .int(a >= b ? 1 : 0)
        case .eq: return .int(a == b ? 1 : 0)
        case .ne: return .int(a != b ? 1 : 0)
        }
    }

    /// Canonical text: `$width * 2`, `min($a, 3)`, `($c > 1) ? 2 : 1`. Choice labels print as `$label`
    /// (quoted `$"a/b"` when the label is not a plain identifier).
    public var description: String { render(parentPrecedence: 0) }

    func render(parentPrecedence: Int) -> String {
        switch self {
        case .const(let s): return s.description
        case .choice(let l): return "$" + Self.quoteLabelIfNeeded(l)
        case .neg(let a): return "-" + a.render(parentPrecedence: 4)
        case .binary(let op, let a, let b):
            let p = op.precedence
            let s = "\(a.render(parentPrecedence: p)) \(op.rawValue) \(b.render(parentPrecedence: p + 1))"
            return p < parentPrecedence ? "(\(s))" : s
        case .min(let xs): return "min(\(xs.map { $0.render(parentPrecedence: 0) }.joined(separator: ", ")))"
        case .max(let xs): return "max(\(xs.map { $0.render(parentPrecedence: 0) }.joined(separator: ", ")))"
        case .cond(let c, let a, let b):
            let s = "\(c.render(parentPrecedence: 1)) ? \(a.render(parentPrecedence: 1)) : \(b.render(parentPrecedence: 0))"
            return parentPrecedence > 0 ? "(\(s))" : s
        }
    }

    /// True for labels made of `[A-Za-z_][A-Za-z0-9_]*`.
    public static func isPlainIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f == "_" || (f.properties.isAlphabetic && f.isASCII) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    /// `label` or `"label"` with `\` and `"` escaped.
    public static func quoteLabelIfNeeded(_ s: String) -> String {
        isPlainIdentifier(s) ? s : quote(s)
    }

    /// Always-quoted string literal with `\\`, `\"`, `\n` escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out + "\""
    }
}
