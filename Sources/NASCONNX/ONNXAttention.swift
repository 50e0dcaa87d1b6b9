// ONNXAttention: the ONNX form of multi-head self-attention, decomposed into MatMul / Split / Reshape / Transpose /
// Softmax (opset 17 has no attention op), with the key padding mask from token ids (id 0, as in the kernels).
import NASCIR

extension ONNXTranslator {
    /// The padding mask of token ids `ids` (`[N, T]` int64) unsqueezed at `axes` (`[N, 1, 1, T]` for attention
    /// scores): as floats, 1 for real tokens, and the boolean "is padding".
    mutating func paddingMask(_ ids: String, _ owner: String, axes: [Int]) -> (keep: String, padding: String) {
        let zero = builder.int64s("sequence/padding_id", shape: [], [0])
        let axesName = builder.int64s("\(owner)/mask_axes", shape: [axes.count], axes)
        let isPad = "\(owner)/is_padding", padding = "\(owner)/padding", real = "\(owner)/real", keep = "\(owner)/keep"
        builder.node("Equal", name: isPad, inputs: [ids, zero], outputs: [isPad])
        builder.node("Unsqueeze", name: padding, inputs: [isPad, axesName], outputs: [padding])
        builder.node("Not", name: real, inputs: [padding], outputs: [real])
        builder.node("Cast", name: keep, inputs: [real], outputs: [keep], attributes: [ONNXAttribute.int("to", 1)])
        return (keep, padding)
    }

    /// `multihead_attention(x[, ids], in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias)` over `[N, T, D]`
    /// with `heads` heads: PyTorch's nn.MultiheadAttention (batch first) as MatMul / Split / Reshape / Transpose /
    /// Softmax. Padding keys get the lowest float before the softmax and probability 0 after it (so a sequence of
    /// padding only attends to nothing, as in nasc).
    mutating func attention(_ n: Node, _ x: [String], dim d: Int, heads h: Int) {
        let out = n.name, masked = x.count == 6, p = masked ? 2 : 1
        let (wIn, bIn, wOut, bOut) = (x[p], x[p + 1], x[p + 2], x[p + 3])
        func op(_ type: String, _ suffix: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = []) -> String {
            let name = "\(out)/\(suffix)"
            builder.node(type, name: name, inputs: inputs, outputs: [name], attributes: attributes)
            return name
        }
        let perm = { (p: [Int]) in [ONNXAttribute.ints("perm", p)] }
        // [q | k | v] = x W_in^T + b_in, each [N, T, D] split into heads [N, H, T, D/H] (k transposed: [N, H, D/H, T]).
        let qkv = op("Add", "qkv", [op("MatMul", "qkv_matmul", [x[0], op("Transpose", "in_proj_weight_t", [wIn], perm([1, 0]))]), bIn])
        let sizes = builder.int64s("\(out)/split_sizes", shape: [3], [d, d, d])
        let q0 = "\(out)/q", k0 = "\(out)/k", v0 = "\(out)/v"
        builder.node("Split", name: "\(out)/split", inputs: [qkv, sizes], outputs: [q0, k0, v0], attributes: [ONNXAttribute.int("axis", 2)])
        let headShape = builder.int64s("\(out)/head_shape", shape: [4], [0, 0, h, d / h])
        let q = op("Transpose", "q_heads", [op("Reshape", "q_split", [q0, headShape])], perm([0, 2, 1, 3]))
        let k = op("Transpose", "k_heads_t", [op("Reshape", "k_split", [k0, headShape])], perm([0, 2, 3, 1]))
        let v = op("Transpose", "v_heads", [op("Reshape", "v_split", [v0, headShape])], perm([0, 2, 1, 3]))
        let scale = builder.floats("\(out)/scale", shape: [], [1 / Float(d / h).squareRoot()])
        var scores = op("Mul", "scores", [op("MatMul", "qk", [q, k]), scale])
        var keep: String?
        if masked {
            let m = paddingMask(x[1], out, axes: [1, 2])
            let lowest = builder.floats("sequence/lowest", shape: [], [-Float.greatestFiniteMagnitude])
            scores = op("Where", "masked_scores", [m.padding, lowest, scores])
            keep = m.keep
        }
        var probs = op("Softmax", "attention", [scores], [ONNXAttribute.int("axis", -1)])
        if let keep { probs = op("Mul", "attention_real", [probs, keep]) }
        let modelShape = builder.int64s("\(out)/model_shape", shape: [3], [0, 0, d])
        let ctx = op("Reshape", "context", [op("Transpose", "context_heads", [op("MatMul", "mix", [probs, v])], perm([0, 2, 1, 3])), modelShape])
        let y = op("MatMul", "out_matmul", [ctx, op("Transpose", "out_proj_weight_t", [wOut], perm([1, 0]))])
        builder.node("Add", name: out, inputs: [y, bOut], outputs: [out])
    }
}
