// PlanBuilder: the state of lowering one graph to a Plan — slots, steps and the IR value -> slot map.
import NASCIR

/// Builds a ``Plan`` node by node. Errors are ``Diagnostic``s located at the offending node.
struct PlanBuilder {
    let graph: Graph
    var slots: [PlanSlot] = []
    var forward: [PlanStep] = []
    var backward: [PlanStep] = []
    /// The supernet scope of each step of ``forward`` and ``backward`` (``SupernetGuards`` makes them guards).
    var forwardScopes: [[CandidateCondition]] = []
    var backwardScopes: [[CandidateCondition]] = []
    /// The scope of each parameter slot's `param` node (its optimizer update runs in it).
    var parameterScopes: [SlotID: [CandidateCondition]] = [:]
    /// Slot of each IR value (flatten/identity outputs share their input's slot).
    var valueSlots: [ValueRef: SlotID] = [:]
    /// Slots a forward node saved for its backward step, by forward node name.
    var saved: [String: SavedSlots] = [:]
    /// Index in `graph.nodes` of each node name (see ``node(named:)``).
    let nodeIndex: [String: Int]
    /// Names of nodes that belong to the backward graph.
    var backwardNodes: Set<String> = []
    var gradients: [ParameterGradient] = []
    var dropoutCount = 0
    var lossSlot: SlotID?
    var lossInput: ValueRef?

    /// What a forward step keeps for its backward step.
    struct SavedSlots {
        var mask: SlotID?
        var indices: SlotID?
        var mean: SlotID?
        var invStd: SlotID?
        var runningMean: SlotID?
        var runningVar: SlotID?
        var gamma: SlotID?
        /// Attention: the projections, the attention probabilities and the heads' context.
        var qkv: SlotID?
        var probabilities: SlotID?
        var context: SlotID?
        /// Recurrent layers: the gates and cell states of every step.
        var gates: SlotID?
    }

    init(graph: Graph) {
        self.graph = graph
        var index: [String: Int] = [:]
        index.reserveCapacity(graph.nodes.count)
        // Index loops read fields in place: `for n in graph.nodes` copied (retained) every node.
        for i in graph.nodes.indices { index[graph.nodes[i].name] = i }
        nodeIndex = index
        // A node is backward if its op is a gradient op or it reads a backward value (none before the first one).
        for i in graph.nodes.indices
        where graph.nodes[i].op.kind.isBackward
            || (!backwardNodes.isEmpty && graph.nodes[i].inputs.contains(where: { backwardNodes.contains($0.node) })) {
            backwardNodes.insert(graph.nodes[i].name)
        }
        valueSlots.reserveCapacity(graph.inputs.count + graph.nodes.count)
    }

    /// The producer node of a node name.
    func node(named name: String) -> Node? { nodeIndex[name].map { graph.nodes[$0] } }

    /// Adds a slot in its own region.
    mutating func newSlot(_ name: String, _ role: SlotRole, _ size: SymbolicSize, type: SlotType = .f32,
                          initializer: ParamInit? = nil, shape: [Dim] = [], control: ControlParameter? = nil) -> SlotID {
        slots.append(PlanSlot(name: name, role: role, type: type, size: size, region: slots.count,
                              initializer: initializer, shape: shape, control: control))
        return slots.count - 1
    }

    /// Adds a slot for a tensor type.
    mutating func newSlot(_ name: String, _ role: SlotRole, for t: TensorType) -> SlotID {
        newSlot(name, role, SymbolicSize(t), type: t.dtype == .i64 ? .i64 : .f32, shape: t.shape)
    }

    /// The slot of an input value.
    func slot(_ r: ValueRef, of n: Node) throws -> SlotID {
        guard let s = valueSlots[r] else { throw Diagnostic.error("value \(r) of '\(n.name)' has no storage (unsupported producer)", at: n.location) }
        return s
    }

    /// The type of an input value.
    func type(_ r: ValueRef, of n: Node) throws -> TensorType {
        // Node results through the name index (linear lookups made big graphs such as supernets quadratic).
        let known = nodeIndex[r.node].flatMap { i in r.slot < graph.nodes[i].types.count ? graph.nodes[i].types[r.slot] : nil }
        guard let t = known ?? graph.type(of: r) else {
            throw Diagnostic.error("the type of \(r) is unknown (run shape-infer before lower)", at: n.location)
        }
        return t
    }

    /// Output `i`'s type.
    func outputType(_ n: Node, _ i: Int = 0) throws -> TensorType {
        guard i < n.types.count else {
            throw Diagnostic.error("'\(n.name)' has no inferred type for output \(i) (run shape-infer before lower)", at: n.location)
        }
        return n.types[i]
    }

    /// A constant integer attribute.
    func int(_ e: ValueExpr, _ what: String, _ n: Node) throws -> Int {
        guard let v = e.constantInt else {
            throw Diagnostic.error("\(what) of '\(n.name)' must be a constant to lower, got \(e) (run specialize first)", at: n.location)
        }
        return v
    }

    /// A fixed dimension of a type (negative `i` counts from the end).
    func dim(_ t: TensorType, _ i: Int, _ n: Node) throws -> Int {
        let k = i < 0 ? t.rank + i : i
        guard k >= 0, k < t.rank, let v = t.shape[k].value else {
            throw Diagnostic.error("'\(n.name)' needs a fixed dimension \(i) in \(t)", at: n.location)
        }
        return v
    }

    /// `[N, C, H, W]` of an image input.
    func nchw(_ t: TensorType, _ n: Node) throws -> (c: Int, h: Int, w: Int) {
        guard t.rank == 4, t.shape[0] == .batch else {
            throw Diagnostic.error("'\(n.name)' needs an [N, C, H, W] input, got \(t)", at: n.location)
        }
        return (try dim(t, 1, n), try dim(t, 2, n), try dim(t, 3, n))
    }

    /// Symmetric padding for `padding` on an input of `size` (same = keep `ceil(size / stride)`).
    func pad(_ p: Padding, kernel: Int, stride: Int, dilation: Int, size: Int, _ n: Node) throws -> Int {
        switch p {
        case .explicit(let e): return try int(e, "padding", n)
        case .same:
            guard let p = Padding.sameAmount(size: size, kernel: kernel, stride: stride, dilation: dilation) else {
                throw Diagnostic.error("padding = same on '\(n.name)' needs asymmetric padding, which is not supported", at: n.location)
            }
            return p
        }
    }

    /// Records output `i` of `n` as `slot`.
    mutating func bind(_ n: Node, _ i: Int = 0, to slot: SlotID) { valueSlots[ValueRef(n.name, slot: i)] = slot }

    /// Creates the output slot `i` of `n` (activation or gradient by the node's side).
    mutating func output(_ n: Node, _ i: Int = 0) throws -> SlotID {
        let t = try outputType(n, i)
        let role: SlotRole = backwardNodes.contains(n.name) ? .gradient : .activation
        let s = newSlot(i == 0 ? "%\(n.name)" : "%\(n.name)#\(i)", role, for: t)
        bind(n, i, to: s)
        return s
    }

    /// Appends a step on the node's side, in the node's scope (plus `extra` conditions).
    mutating func emit(_ k: KernelStep, _ n: Node, name: String? = nil, extra: [CandidateCondition] = []) {
        let step = PlanStep(k, node: name ?? n.name)
        if backwardNodes.contains(n.name) {
            backward.append(step)
            backwardScopes.append(n.scope + extra)
        } else {
            forward.append(step)
            forwardScopes.append(n.scope + extra)
        }
    }

    /// The forward node that produced `r` (for saved values).
    func savedOf(_ r: ValueRef, _ n: Node) throws -> SavedSlots {
        guard let s = saved[r.node] else {
            throw Diagnostic.error("'\(n.name)' reads \(r), which is not the output of a matching forward node", at: n.location)
        }
        return s
    }
}
