// Plan: the executable form of a model — a flat list of typed kernel steps over sized slots. Produced by `lower`.

/// A supernet decision whose candidates guard steps (one-shot training; fixed subnets have none). A switch selector
/// (sampled mode) has exactly one active candidate per step; a gated one (proxyless binary gates) has a set of
/// active candidates (every candidate by default), so its candidates' buffers must not share memory.
public struct PlanSelector: Hashable, Sendable {
    public var label: String
    public var candidates: [String]
    /// True for proxyless gates (several candidates may be active at once), false for switches.
    public var gated: Bool
    public init(label: String, candidates: [String], gated: Bool = false) {
        self.label = label; self.candidates = candidates; self.gated = gated
    }
}

/// An executable plan. Plain data: the executor allocates one region per ``PlanSlot/region`` for a batch size
/// and runs ``steps`` in order; ``forwardSteps`` compute the outputs (and the loss if labels are given),
/// ``backwardSteps`` the gradients and ``updateSteps`` apply the optimizer.
public struct Plan: Hashable, Sendable {
    /// Version of the plan schema (protobuf `Plan.version`).
    public static let formatVersion = 1

    /// The model space the plan came from.
    public var name: String
    public var slots: [PlanSlot]
    public var steps: [PlanStep]
    public var forwardSteps: Range<Int>
    public var backwardSteps: Range<Int>
    public var updateSteps: Range<Int>
    /// The data batch slot.
    public var dataInput: SlotID
    /// The labels slot (training plans and plans with a loss).
    public var labelsInput: SlotID?
    /// The model output (logits or log-probabilities), before the loss.
    public var logits: SlotID
    /// The scalar loss, if the plan computes one.
    public var loss: SlotID?
    /// Trainable parameter slot -> its gradient slot, in parameter order.
    public var gradients: [ParameterGradient]
    /// The optimizer of a training plan.
    public var optimizer: OptimizerSpec?
    /// Supernet switches (empty for a fixed subnet).
    public var selectors: [PlanSelector]

    /// Creates a plan.
    public init(name: String, slots: [PlanSlot], steps: [PlanStep], forwardSteps: Range<Int>, backwardSteps: Range<Int>,
                updateSteps: Range<Int>, dataInput: SlotID, labelsInput: SlotID?, logits: SlotID, loss: SlotID?,
                gradients: [ParameterGradient] = [], optimizer: OptimizerSpec? = nil, selectors: [PlanSelector] = []) {
        self.name = name; self.slots = slots; self.steps = steps
        self.forwardSteps = forwardSteps; self.backwardSteps = backwardSteps; self.updateSteps = updateSteps
        self.dataInput = dataInput; self.labelsInput = labelsInput; self.logits = logits; self.loss = loss
        self.gradients = gradients; self.optimizer = optimizer; self.selectors = selectors
    }

    /// True when the plan has backward and update steps.
    public var isTraining: Bool { !backwardSteps.isEmpty }

    /// Slots holding parameters and state, in slot order.
    public var persistentSlots: [SlotID] { slots.indices.filter { slots[$0].role.isPersistent } }

    /// Activation memory (activations, gradients, saved values, workspaces, loss) as allocated: the sum over
    /// regions of each region's largest slot. Memory planning lowers it by sharing regions.
    public var activationElements: SymbolicSize {
        var regions: [Int: SymbolicSize] = [:]
        for s in slots where !s.role.isPersistent {
            regions[s.region] = (regions[s.region] ?? SymbolicSize()).union(s.size)
        }
        return regions.values.reduce(SymbolicSize(), +)
    }

    /// ``activationBytes(batch:)``, or `nil` when the count does not fit in an `Int` (an absurd batch size).
    public func checkedActivationBytes(batch n: Int) -> Int? {
        var regions: [Int: Int] = [:]
        for s in slots where !s.role.isPersistent {
            let (a, o1) = s.size.perSample.multipliedReportingOverflow(by: n)
            let (c, o2) = a.addingReportingOverflow(s.size.fixed)
            let (bytes, o3) = c.multipliedReportingOverflow(by: s.type == .i64 ? 8 : 4)
            if o1 || o2 || o3 { return nil }
            regions[s.region] = max(regions[s.region] ?? 0, bytes)
        }
        var total = 0
        for b in regions.values {
            let (t, o) = total.addingReportingOverflow(b)
            if o { return nil }
            total = t
        }
        return total
    }

    /// Peak activation memory in bytes for a batch of `n` (4 bytes per f32/i32 element, 8 per i64).
    public func activationBytes(batch n: Int) -> Int {
        var regions: [Int: Int] = [:]
        for s in slots where !s.role.isPersistent {
            let bytes = s.size.count(batch: n) * (s.type == .i64 ? 8 : 4)
            regions[s.region] = max(regions[s.region] ?? 0, bytes)
        }
        return regions.values.reduce(0, +)
    }
}

/// A trainable parameter and the slot its gradient lands in.
public struct ParameterGradient: Hashable, Sendable {
    public var parameter: SlotID
    public var gradient: SlotID
    public init(parameter: SlotID, gradient: SlotID) { self.parameter = parameter; self.gradient = gradient }
}
