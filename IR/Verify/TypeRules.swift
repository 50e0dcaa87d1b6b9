// TypeRules: type-compatibility rules shared by the verifier and shape inference, so both word errors the same way.

/// Checks on operand types. Each returns `nil` when the types are fine, or the error message.
package enum TypeRules {
    /// Operands of `add`/`mul` (and `input_choice` sum/mean) must have identical types.
    package static func equalTypes(_ what: String, _ types: [TensorType]) -> String? {
        guard let first = types.first else { return nil }
        if let other = types.first(where: { $0 != first }) {
            return "\(what) have different types: \(first) and \(other)"
        }
        return nil
    }

    /// Operands of the elementwise `add`/`mul` (no broadcasting): the same type.
    package static func elementwiseProblem(_ op: String, _ types: [TensorType]) -> String? {
        guard let first = types.first, let other = types.first(where: { $0 != first }) else { return nil }
        return "\(op) needs inputs of equal shape, but gets \(first) and \(other)"
    }

    /// Normalizes a possibly negative axis for a tensor of `rank`, or `nil` if out of range.
    package static func normalizedAxis(_ axis: Int, rank: Int) -> Int? {
        let a = axis < 0 ? axis + rank : axis
        return a >= 0 && a < rank ? a : nil
    }

    /// `concat` operands: equal rank and dtype, equal dims outside `axis`, and an axis that is not the batch.
    package static func concatProblem(axis: Int, _ types: [TensorType]) -> String? {
        guard let first = types.first else { return nil }
        guard let a = normalizedAxis(axis, rank: first.rank) else {
            return "concat axis \(axis) is out of range for \(first)"
        }
        for t in types.dropFirst() {
            if t.rank != first.rank || t.dtype != first.dtype {
                return "concat operands have incompatible types: \(first) and \(t)"
            }
        }
        for t in types {
            if t.shape[a] == .batch { return "concat along the batch dimension (axis \(axis)) is not supported" }
        }
        for t in types.dropFirst() {
            for d in 0..<first.rank where d != a && t.shape[d] != first.shape[d] {
                return "concat operands must agree outside axis \(a): \(first) and \(t)"
            }
        }
        return nil
    }

    /// A stated `in` channel count of `conv2d` against its input type (NCHW, channels at dimension 1).
    package static func statedChannelsProblem(stated: Int, input: TensorType) -> String? {
        guard input.rank >= 2, let c = input.shape[1].value, c != stated else { return nil }
        return "conv2d expects \(stated) input channels, but gets \(c) (input \(input))"
    }

    /// A stated `in` feature count of `linear` against its input type (features in the last dimension).
    package static func statedFeaturesProblem(stated: Int, input: TensorType) -> String? {
        guard let f = input.shape.last?.value, f != stated else { return nil }
        return "linear expects \(stated) input features, but gets \(f) (input \(input))"
    }
}
