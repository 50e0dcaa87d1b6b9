// ONNXRecurrent: the ONNX form of the recurrent layers — ONNX LSTM / GRU (time major, gate blocks reordered from
// PyTorch's i,f,g,o to ONNX's i,o,f,c and from r,z,n to z,r,h; the GRU with linear_before_reset = 1, PyTorch's
// formula) between Transposes from and to the batch-first [N,T,D] layout.
import NASCIR

extension ONNXTranslator {
    /// `lstm`/`gru(x, weight_ih, weight_hh, bias_ih, bias_hh[, ..._reverse])` as one ONNX LSTM/GRU node. ONNX wants
    /// `W [dirs, G H, D]`, `R [dirs, G H, H]` and `B [dirs, 2 G H]` (input biases, then recurrent ones), built here from
    /// nasc's PyTorch-layout parameters by Split / Concat / Unsqueeze so they stay the exported initializers.
    mutating func recurrent(_ n: Node, _ x: [String], cell: RecurrentCell, hidden h: Int, directions: Int) {
        let out = n.name, g = cell.gates
        // ONNX's gate blocks, as indices of PyTorch's: LSTM i,o,f,c from i,f,g,o; GRU z,r,h from r,z,n.
        let order = cell == .lstm ? [0, 3, 1, 2] : [1, 0, 2]
        let sizes = builder.int64s("\(out)/gate_sizes", shape: [g], [Int](repeating: h, count: g))
        let axis0 = builder.int64s("sequence/axis0", shape: [1], [0])
        func op(_ type: String, _ suffix: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = []) -> String {
            let name = "\(out)/\(suffix)"
            builder.node(type, name: name, inputs: inputs, outputs: [name], attributes: attributes)
            return name
        }
        func reordered(_ p: String, _ suffix: String) -> String {
            let parts = (0..<g).map { "\(out)/\(suffix)_gate\($0)" }
            builder.node("Split", name: "\(out)/\(suffix)_split", inputs: [p, sizes], outputs: parts,
                         attributes: [ONNXAttribute.int("axis", 0)])
            return op("Concat", suffix, order.map { parts[$0] }, [ONNXAttribute.int("axis", 0)])
        }
        // Per direction: Unsqueeze to [1, ...]; both directions Concat on axis 0.
        func stacked(_ suffix: String, _ perDirection: (Int) -> String) -> String {
            let each = (0..<directions).map { op("Unsqueeze", "\(suffix)\($0)", [perDirection($0), axis0]) }
            return directions == 1 ? each[0] : op("Concat", suffix, each, [ONNXAttribute.int("axis", 0)])
        }
        let w = stacked("W") { reordered(x[1 + 4 * $0], "w_ih\($0)") }
        let r = stacked("R") { reordered(x[2 + 4 * $0], "w_hh\($0)") }
        let b = stacked("B") { k in
            op("Concat", "bias\(k)", [reordered(x[3 + 4 * k], "b_ih\(k)"), reordered(x[4 + 4 * k], "b_hh\(k)")],
               [ONNXAttribute.int("axis", 0)])
        }
        let seq = op("Transpose", "time_major", [x[0]], [ONNXAttribute.ints("perm", [1, 0, 2])])
        var attributes = [ONNXAttribute.int("hidden_size", h),
                          ONNXAttribute.string("direction", directions == 2 ? "bidirectional" : "forward")]
        if cell == .gru { attributes.append(ONNXAttribute.int("linear_before_reset", 1)) }
        // Y is [T, dirs, N, H]; batch first with the directions side by side: [N, T, dirs, H] -> [N, T, dirs H].
        let y = op(cell == .lstm ? "LSTM" : "GRU", "states", [seq, w, r, b], attributes)
        let shape = builder.int64s("\(out)/output_shape", shape: [3], [0, 0, directions * h])
        builder.node("Reshape", name: out, inputs: [op("Transpose", "batch_first", [y], [ONNXAttribute.ints("perm", [2, 0, 1, 3])]), shape],
                     outputs: [out])
    }
}
