// ControllerGraph: the ENAS LSTM controller as a nasc IR graph, unrolled over the decisions, with its REINFORCE loss.
import NASCIR

/// Builds the policy network of the RL strategies (ENAS's `ReinforceController`) as an ordinary nasc model space,
/// so that the executor's own autodiff trains it.
///
/// For decisions with `K_0, ..., K_{D-1}` choices (`S = sum K_t`), the graph reads one `f32[N, 1 + 2S]` input row per
/// sample: column 0 is the constant 1 (the start token), then the one-hot codes of the chosen actions (decision
/// `t` at columns `1 + off_t ..< 1 + off_t + K_t`), then the REINFORCE targets (the advantage at the chosen action of
/// each decision, 0 elsewhere). Step `t` of the unrolled LSTM (one layer, no biases, as NNI's `StackedLSTMCell`):
///
/// ```
/// prev_t   = x · select_t            (one-hot of action t-1, or the start token for t = 0; a fixed 0/1 matrix)
/// in_t     = prev_t · embedding_t    (an embedding per decision: ENAS's g_emb for t = 0)
/// i, f, o  = sigmoid(in_t · W_x + h_{t-1} · W_h),  g = tanh(in_t · W_x + h_{t-1} · W_h)   (per gate)
/// c_t      = f * c_{t-1} + i * g,  h_t = o * tanh(c_t)
/// logits_t = tanh_constant * tanh(h_t · soft_t)     (a softmax head per decision, no bias)
/// ```
///
/// The graph's first output is `u = sum_t sum_k target_t[k] * log_softmax(logits_t)[k]`, an `f32[N, 1]`; with the
/// `nll` loss and label 0 the loss is `-mean_n u_n = -mean_n advantage_n * log p(actions_n)`, REINFORCE's
/// surrogate. Its second output is `probs`, the concatenated `softmax(logits_t)` (`f32[N, S]`), read when sampling.
/// Only the prefix of actions before `t` influences head `t`, so sampling can fill the actions in one at a time.
/// Fixed matrices (`select.*`, `target.*`, `scale.*`) are non-trainable parameters set by ``constants()``.
///
/// With `valueHead` (PPO's critic, sharing the LSTM as NNI's `Critic(Preprocessor)`), the row has `D` more columns,
/// one coefficient `c_t` per decision, a third output `values` (`f32[N, D]`, `v_t = h_t · value.w + value.b`, the
/// value of the state before decision `t`), and `u` gains `sum_t c_t * v_t`: with targets and coefficients set from
/// a forward pass, the gradient of `-mean u` is exactly the gradient of PPO's loss (see ``PPOLoss``).
struct ControllerGraph {
    /// Choices per decision (each at least 1).
    let counts: [Int]
    /// LSTM hidden size (ENAS / NNI: 64).
    let hidden: Int
    /// Logits are `tanhConstant * tanh(logits)`; `nil` keeps raw logits (ENAS / NNI: 1.5).
    let tanhConstant: Double?
    /// Adds the value head and its coefficient columns (PPO).
    var valueHead = false

    /// Offset of decision `t`'s block among the `S` action columns.
    var offsets: [Int] { counts.indices.map { t in counts[..<t].reduce(0, +) } }
    /// `S`, the total number of choices.
    var totalChoices: Int { counts.reduce(0, +) }
    /// Width of an input row: start token, action one-hots, targets (and value coefficients with `valueHead`).
    var width: Int { 1 + 2 * totalChoices + (valueHead ? counts.count : 0) }
    /// First column of the value coefficients.
    var valueColumn: Int { 1 + 2 * totalChoices }

    /// The graph's node names that the controller reads.
    static let probabilities = "probs"
    /// The value head's output (with `valueHead`).
    static let values = "values"
    /// The node holding every value (`values`, or `value.0` for a single decision).
    var valuesNode: String { counts.count == 1 ? "value.0" : Self.values }

    /// The controller as a model space with one typed root graph.
    func space() -> ModelSpace {
        var nodes: [Node] = []
        let n = Dim.batch
        func f32(_ dims: [Dim]) -> TensorType { TensorType(.f32, dims) }
        func param(_ name: String, _ shape: [Int], trainable: Bool = true, ones: Bool = false) -> ValueRef {
            let fan = shape.last ?? 1
            let p = ParamAttrs(name: name, shape: shape, initializer: ones ? .ones : (trainable ? .kaimingUniform(fanIn: fan) : .zeros),
                               trainable: trainable)
            nodes.append(Node(name: name, op: .param(p), inputs: [], types: [f32(shape.map { .fixed($0) })]))
            return ValueRef(name)
        }
        func node(_ name: String, _ op: Op, _ inputs: [ValueRef], _ type: TensorType) -> ValueRef {
            nodes.append(Node(name: name, op: op, inputs: inputs, types: [type]))
            return ValueRef(name)
        }
        func linear(_ name: String, _ x: ValueRef, _ w: ValueRef, out: Int) -> ValueRef {
            node(name, .linear(LinearAttrs(outFeatures: .int(out), bias: false)), [x, w], f32([n, .fixed(out)]))
        }
        let h = hidden
        let x = ValueRef("x")
        let gates = ["i", "f", "g", "o"]
        let wx = gates.map { param("lstm.w_x_\($0)", [h, h]) }
        let wh = gates.map { param("lstm.w_h_\($0)", [h, h]) }
        var hPrev: ValueRef?, cPrev: ValueRef?
        var terms: [ValueRef] = [], probs: [ValueRef] = [], values: [ValueRef] = []
        let valueW = valueHead ? param("value.w", [1, h]) : nil
        let valueB = valueHead ? param("value.b", [1]) : nil
        for (t, k) in counts.enumerated() {
            let prevCount = t == 0 ? 1 : counts[t - 1]
            let select = param("select.\(t)", [prevCount, width], trainable: false)
            let prev = linear("prev.\(t)", x, select, out: prevCount)
            let input = linear("in.\(t)", prev, param("embedding.\(t)", [h, prevCount]), out: h)
            var act: [ValueRef] = []
            for (q, gate) in gates.enumerated() {
                var pre = linear("gate_\(gate)_x.\(t)", input, wx[q], out: h)
                if let hp = hPrev {
                    let fromH = linear("gate_\(gate)_h.\(t)", hp, wh[q], out: h)
                    pre = node("gate_\(gate)_sum.\(t)", .add, [pre, fromH], f32([n, .fixed(h)]))
                }
                act.append(node("gate_\(gate).\(t)", .activation(gate == "g" ? .tanh : .sigmoid), [pre], f32([n, .fixed(h)])))
            }
            let ig = node("ig.\(t)", .mul, [act[0], act[2]], f32([n, .fixed(h)]))
            let c: ValueRef
            if let cp = cPrev {
                let fc = node("fc.\(t)", .mul, [act[1], cp], f32([n, .fixed(h)]))
                c = node("c.\(t)", .add, [fc, ig], f32([n, .fixed(h)]))
            } else {
                c = ig
            }
            let tc = node("tanh_c.\(t)", .activation(.tanh), [c], f32([n, .fixed(h)]))
            let hNew = node("h.\(t)", .mul, [act[3], tc], f32([n, .fixed(h)]))
            hPrev = hNew; cPrev = c
            if let valueW, let valueB {
                let v = node("value.\(t)", .linear(LinearAttrs(outFeatures: .int(1), bias: true)), [hNew, valueW, valueB], f32([n, .fixed(1)]))
                let coef = linear("value_coef.\(t)", x, param("value_select.\(t)", [1, width], trainable: false), out: 1)
                terms.append(node("value_term.\(t)", .mul, [v, coef], f32([n, .fixed(1)])))
                values.append(v)
            }
            var logits = linear("logits.\(t)", hNew, param("soft.\(t)", [k, h]), out: k)
            if tanhConstant != nil {
                let squashed = node("tanh_logits.\(t)", .activation(.tanh), [logits], f32([n, .fixed(k)]))
                logits = linear("scaled_logits.\(t)", squashed, param("scale.\(t)", [k, k], trainable: false), out: k)
            }
            let logp = node("log_probs.\(t)", .logSoftmax(axis: 1), [logits], f32([n, .fixed(k)]))
            probs.append(node("probs.\(t)", .softmax(axis: 1), [logits], f32([n, .fixed(k)])))
            let target = linear("target.\(t)", x, param("target_select.\(t)", [k, width], trainable: false), out: k)
            let weighted = node("weighted.\(t)", .mul, [logp, target], f32([n, .fixed(k)]))
            terms.append(linear("term.\(t)", weighted, param("sum.\(t)", [1, k], trainable: false, ones: true), out: 1))
        }
        let u = terms.count == 1 ? terms[0] : node("objective", .add, terms, f32([n, .fixed(1)]))
        let p = node(Self.probabilities, .concat(axis: 1), probs, f32([n, .fixed(totalChoices)]))
        var outputs = [u, p]
        if valueHead {
            outputs.append(values.count == 1 ? values[0]
                : node(Self.values, .concat(axis: 1), values, f32([n, .fixed(counts.count)])))
        }
        let graph = Graph(name: "controller", inputs: [GraphInput(name: "x", type: f32([n, .fixed(width)]))],
                          nodes: nodes, outputs: outputs)
        return ModelSpace(name: "controller", root: "controller", graphs: [graph])
    }

    /// Values of the fixed (non-trainable) matrices, by parameter name (row-major `[out, in]`).
    func constants() -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        let offs = offsets, s = totalChoices
        for (t, k) in counts.enumerated() {
            // select.t picks the start token (t = 0) or the one-hot of decision t-1.
            if t == 0 {
                var m = [Float](repeating: 0, count: width)
                m[0] = 1
                out["select.0"] = m
            } else {
                let kp = counts[t - 1]
                var m = [Float](repeating: 0, count: kp * width)
                for j in 0..<kp { m[j * width + 1 + offs[t - 1] + j] = 1 }
                out["select.\(t)"] = m
            }
            var target = [Float](repeating: 0, count: k * width)
            for j in 0..<k { target[j * width + 1 + s + offs[t] + j] = 1 }
            out["target_select.\(t)"] = target
            if valueHead {
                var m = [Float](repeating: 0, count: width)
                m[valueColumn + t] = 1
                out["value_select.\(t)"] = m
            }
            if let c = tanhConstant {
                var m = [Float](repeating: 0, count: k * k)
                for j in 0..<k { m[j * k + j] = Float(c) }
                out["scale.\(t)"] = m
            }
        }
        return out
    }

    /// One input row: start token, the one-hots of `actions` (a prefix; missing decisions stay zero), and
    /// `advantage` at each chosen action in the target block.
    func row(actions: [Int], advantage: Double = 0) -> [Float] {
        var r = [Float](repeating: 0, count: width)
        r[0] = 1
        let offs = offsets, s = totalChoices
        for (t, a) in actions.enumerated() where t < counts.count {
            r[1 + offs[t] + a] = 1
            r[1 + s + offs[t] + a] = Float(advantage)
        }
        return r
    }

    /// One PPO input row: start token, the one-hots of `actions`, a full target vector per decision
    /// (`targets[t][k]` multiplies `log p_t(k)`) and a value coefficient per decision.
    func row(actions: [Int], targets: [[Double]], valueCoefficients: [Double]) -> [Float] {
        var r = row(actions: actions)
        let offs = offsets, s = totalChoices
        for (t, ts) in targets.enumerated() where t < counts.count {
            for (k, v) in ts.enumerated() where k < counts[t] { r[1 + s + offs[t] + k] = Float(v) }
        }
        if valueHead { for (t, c) in valueCoefficients.enumerated() where t < counts.count { r[valueColumn + t] = Float(c) } }
        return r
    }
}
