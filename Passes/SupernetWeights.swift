// SupernetWeights: the nodes that compute one label's combination weights in a weighted supernet mode, shared by the
// choice rewrites (Supernet.swift) and the value-choice mask mixing (SupernetValueChoice.swift).
import NASCIR

/// Builds a label's combination weights over `count` candidates (each `param` typed by its ``ControlParameter``):
/// - darts: `softmax(param "arch:<label>")`;
/// - gumbel: `softmax((arch + param "gumbel:noise:<label>") * param "gumbel:inv_tau:<label>")`, plus the
///   straight-through offset `param "gumbel:hard:<label>"` when `hard`;
/// - proxyless: the binary gate `param "gate:<label>"` itself (the strategy writes a one-hot vector).
///
/// Equal labels built by several rewrites get equal parameter names, which ``SupernetPass`` shares afterwards.
struct SupernetWeights {
    let mode: SupernetMode
    /// Straight-through (hard) Gumbel weights.
    var hard = false

    /// The nodes in order and the name of the node holding the weights. `fresh` returns an unused node name for a
    /// base name; every node takes `location`.
    func build(_ label: String, count: Int, at location: SourceLocation, fresh: (String) -> String) -> (nodes: [Node], weights: String) {
        let safe = String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let t = [TensorType(.f32, [.fixed(count)])]
        var nodes: [Node] = []
        func add(_ base: String, _ op: Op, _ inputs: [String]) -> String {
            let n = Node(name: fresh(base), op: op, inputs: inputs.map { ValueRef($0) }, types: t, location: location)
            nodes.append(n)
            return n.name
        }
        func param(_ base: String, _ name: String, _ kind: ControlParameterKind, _ initializer: ParamInit, trainable: Bool = true) -> String {
            add(base, .param(ParamAttrs(name: name, shape: [count], initializer: initializer, trainable: trainable,
                                        control: ControlParameter(kind, label: label))), [])
        }
        let logits: String
        switch mode {
        case .proxyless:
            let gate = param("gate_\(safe)", SupernetParameterNames.gate(label), .gate, .zeros)
            return (nodes, gate)
        case .gumbel:
            let alpha = param("arch_\(safe)", SupernetParameterNames.alpha(label), .architecture, .zeros)
            let noise = param("arch_\(safe).noise", SupernetParameterNames.noise(label), .gumbelNoise, .zeros, trainable: false)
            let invTau = param("arch_\(safe).inv_tau", SupernetParameterNames.inverseTemperature(label), .gumbelInverseTemperature, .ones, trainable: false)
            let sum = add("arch_\(safe).perturbed", .add, [alpha, noise])
            logits = add("arch_\(safe).scaled", .mul, [sum, invTau])
        case .darts, .sampled:
            logits = param("arch_\(safe)", SupernetParameterNames.alpha(label), .architecture, .zeros)
        }
        let w = add("arch_\(safe).weights", .softmax(axis: -1), [logits])
        guard mode == .gumbel && hard else { return (nodes, w) }
        let offset = param("arch_\(safe).hard_offset", SupernetParameterNames.hardOffset(label), .gumbelHardOffset, .zeros, trainable: false)
        let hardWeights = add("arch_\(safe).hard", .add, [w, offset])
        return (nodes, hardWeights)
    }
}
