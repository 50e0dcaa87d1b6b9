// ExprFolding: simplifies value-choice expressions (constant folding, single-value choices, algebraic identities).
import NASCIR

/// Folds `ValueExpr`s and rewrites every expression inside an op.
enum ExprFolding {
    /// Folds `e` bottom-up: labels in `substitute` become constants; label-free subexpressions are evaluated
    /// (unless evaluation fails, e.g. division by zero, which is left for shape inference to report);
    /// `x * 1`, `1 * x`, `x + 0`, `0 + x`, `x - 0`, `--x`, one-element `min`/`max` and constant conditions simplify.
    static func fold(_ e: ValueExpr, substitute: [String: Scalar] = [:]) -> ValueExpr {
        let folded: ValueExpr
        switch e {
        case .const: return e
        case .choice(let l): return substitute[l].map { .const($0) } ?? e
        case .neg(let a):
            let x = fold(a, substitute: substitute)
            if case .neg(let inner) = x { return inner }
            folded = .neg(x)
        case .binary(let op, let a, let b):
            let x = fold(a, substitute: substitute), y = fold(b, substitute: substitute)
            switch (op, x, y) {
            case (.mul, _, .const(.int(1))), (.add, _, .const(.int(0))), (.sub, _, .const(.int(0))): return x
            case (.mul, .const(.int(1)), _), (.add, .const(.int(0)), _): return y
            default: folded = .binary(op, x, y)
            }
        case .min(let xs):
            let ys = xs.map { fold($0, substitute: substitute) }
            if ys.count == 1 { return ys[0] }
            folded = .min(ys)
        case .max(let xs):
            let ys = xs.map { fold($0, substitute: substitute) }
            if ys.count == 1 { return ys[0] }
            folded = .max(ys)
        case .cond(let c, let a, let b):
            let cc = fold(c, substitute: substitute)
            let x = fold(a, substitute: substitute), y = fold(b, substitute: substitute)
            if case .const(let v) = cc { return v.asDouble != 0 ? x : y }
            folded = .cond(cc, x, y)
        }
        if folded.labels.isEmpty, let v = try? folded.evaluate({ _ in nil }) { return .const(v) }
        return folded
    }

    /// `op` with `transform` applied to every numeric attribute (through the generic attribute bridge).
    /// Returns `op` unchanged if the rewritten attributes no longer form a valid op.
    static func mapExprs(_ op: Op, _ transform: (ValueExpr) -> ValueExpr) -> Op {
        var changed = false
        let attrs = op.attributes.map { a -> NamedAttribute in
            guard case .expr(let e) = a.value else { return a }
            let t = transform(e)
            if t != e { changed = true }
            return NamedAttribute(a.name, .expr(t))
        }
        guard changed else { return op }
        return (try? Op(kind: op.kind, attributes: attrs)) ?? op
    }
}
