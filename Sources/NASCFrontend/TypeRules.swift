// TypeRules: the static checker's view of the op table's shape rules, one concrete combination of choices at a time.
import NASCIR
import NASCPasses

/// Shape rules used by the static checker: the passes' rules (``OpTable``) with every value choice chosen.
enum TypeRules {
    /// Why a combination is rejected.
    struct Failure: Error {
        var message: String
        var hint: String?
        init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
    }

    /// The output type of `op` (a base op, not a primitive) applied to `inputs`, with `value` choosing each value choice.
    static func infer(_ op: Op, _ inputs: [TensorType], value: (ValueExpr) throws -> Scalar) throws -> TensorType {
        guard !inputs.isEmpty else { throw Failure("\(op.kind.rawValue) has no input") }
        do {
            guard let t = try OpTable.outputType(of: op, inputs: inputs, value: value) else {
                throw Failure("internal: \(op.kind.rawValue) has an unresolved value choice")
            }
            return t
        } catch let e as ShapeError {
            throw Failure(e.message, hint: e.hint)
        }
    }
}
