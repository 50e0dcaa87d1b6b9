// PlanSlot: one storage slot of a plan (activation, gradient, parameter, state, workspace), sized per batch.

/// Index of a slot in ``Plan/slots``.
public typealias SlotID = Int

/// An element count that may grow with the batch size: `perSample * N + fixed`.
public struct SymbolicSize: Hashable, Sendable, CustomStringConvertible {
    /// Elements per sample of the batch.
    public var perSample: Int
    /// Elements independent of the batch size.
    public var fixed: Int

    /// Creates a size.
    public init(perSample: Int = 0, fixed: Int = 0) { self.perSample = perSample; self.fixed = fixed }

    /// A size that does not depend on the batch.
    public static func fixed(_ n: Int) -> SymbolicSize { SymbolicSize(fixed: n) }

    /// The element count for a batch of `n`.
    public func count(batch n: Int) -> Int { perSample * n + fixed }

    /// Component-wise maximum (an upper bound of both for every batch size).
    public func union(_ o: SymbolicSize) -> SymbolicSize {
        SymbolicSize(perSample: max(perSample, o.perSample), fixed: max(fixed, o.fixed))
    }

    /// Component-wise sum.
    public static func + (a: SymbolicSize, b: SymbolicSize) -> SymbolicSize {
        SymbolicSize(perSample: a.perSample + b.perSample, fixed: a.fixed + b.fixed)
    }

    /// `120*N + 4`, `120*N` or `4`.
    public var description: String {
        if perSample == 0 { return String(fixed) }
        return fixed == 0 ? "\(perSample)*N" : "\(perSample)*N + \(fixed)"
    }

    /// The size of a tensor type (the batch dimension is `N`; at most one batch dimension).
    public init(_ t: TensorType) {
        let hasBatch = t.shape.contains(.batch)
        self = hasBatch ? SymbolicSize(perSample: t.elementsPerSample) : .fixed(t.elementsPerSample)
    }
}

/// What a slot holds; decides its lifetime and who allocates it.
public enum SlotRole: String, Hashable, Sendable, CaseIterable {
    /// The data input batch (f32).
    case input
    /// The class labels of the batch (i64).
    case labels
    /// A forward value.
    case activation
    /// A gradient of a forward value.
    case gradient
    /// Values a forward step saves for its backward step (dropout mask, argmax indices, batch statistics).
    case saved
    /// Scratch memory of one step (im2col columns).
    case workspace
    /// The scalar loss.
    case loss
    /// A trainable parameter (persistent across steps, checkpointed).
    case parameter
    /// Non-trained state such as batchnorm running statistics (persistent, checkpointed).
    case state
    /// The gradient of a trainable parameter.
    case parameterGradient
    /// Optimizer state (momentum, Adam moments) of one parameter (persistent, checkpointed).
    case optimizerState

    /// True for slots that live as long as the model (not re-created per batch size).
    public var isPersistent: Bool { self == .parameter || self == .state || self == .optimizerState }
}

/// Element type of a slot.
public enum SlotType: String, Hashable, Sendable {
    case f32, i64, i32
}

/// One storage slot. Slots with the same ``region`` share memory (assigned by memory planning); only
/// batch-dependent f32 slots (activations, gradients, saved values, workspaces) are ever shared.
public struct PlanSlot: Hashable, Sendable {
    /// A readable name: the IR value (`%c1`), `grad(%c1)`, a parameter name, `conv1.weight/momentum`.
    public var name: String
    public var role: SlotRole
    public var type: SlotType
    /// Element count.
    public var size: SymbolicSize
    /// Physical storage region; distinct slots with equal regions reuse the same memory.
    public var region: Int
    /// Initial values (parameters, state and optimizer state; `nil` = zeros).
    public var initializer: ParamInit?
    /// The tensor shape (the batch printed as `N`), for checkpoints and display.
    public var shape: [Dim]
    /// The supernet control role of a parameter or state slot (from its `param` node), `nil` otherwise.
    public var control: ControlParameter?

    /// Creates a slot.
    public init(name: String, role: SlotRole, type: SlotType = .f32, size: SymbolicSize, region: Int,
                initializer: ParamInit? = nil, shape: [Dim] = [], control: ControlParameter? = nil) {
        self.name = name; self.role = role; self.type = type; self.size = size; self.region = region
        self.initializer = initializer; self.shape = shape; self.control = control
    }
}
