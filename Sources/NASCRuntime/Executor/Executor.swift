// Executor: runs a Plan — seeded parameter init, forward (train/eval), train steps, parameter access.
import Foundation
import NASCIR
import NASCKernels
import NASCData

/// The optimizer of a training plan.
enum PlanOptimizer {
    case sgd(SGD)
    case adam(Adam)
}

/// Whether a forward pass trains (batch statistics, dropout) or evaluates (running statistics, no dropout).
public enum ExecutionMode: Sendable {
    case train, eval
}

/// Walks a ``Plan`` and dispatches each step to its kernel in NASCKernels (the executor holds no math).
///
/// Buffers are allocated once per plan (parameters, state, optimizer state) and once per batch size
/// (everything else); the step loop neither allocates nor copies. For the same plan, seed, machine and
/// BLAS thread count, results are bit-for-bit reproducible.
public final class Executor {
    /// When set, `trainStep` clips the global L2 norm of all gradients to this value before updating.
    public var gradientClipNorm: Double?
    /// The plan being run.
    public let plan: Plan
    /// The seed of parameter init and dropout masks (restored from checkpoints).
    public internal(set) var seed: UInt64
    /// Training steps run so far (drives dropout masks; restored from checkpoints).
    public internal(set) var stepsTaken = 0
    /// Optimizer updates applied so far (Adam bias correction, SGD momentum init; restored from checkpoints).
    public internal(set) var updatesTaken = 0
    /// The learning rate of the next update (defaults to the plan optimizer's).
    public var learningRate: Double
    /// Supernet selection: the chosen candidate per ``Plan/selectors`` entry (empty for fixed subnets). Setting it
    /// makes exactly that candidate active per selector (selectors beyond the vector take their defaults, see
    /// ``activeCandidates``).
    public var selection: [Int] = [] { didSet { activateSelection() } }
    /// Per ``Plan/selectors`` entry the set of active candidates (bit `k` = candidate `k`); a step runs when its
    /// guard holds. Defaults: candidate 0 of a switch, every candidate of a gated selector.
    public internal(set) var activeCandidates: [UInt64] = []

    let memory: ExecutorMemory
    /// Names of the plan's supernet control tensors (slots with a ``PlanSlot/control`` role).
    let controlNames: Set<String>
    /// The plan's kernels and guards as flat arrays, so the step loop copies no names.
    let kernels: ContiguousArray<KernelStep>
    let guardTable: GuardTable
    /// The plan's optimizer (NASCRuntime's SGD or Adam), `nil` for inference plans. Held as concrete values
    /// (not an existential box) so update steps cause no reference counting.
    let optimizer: PlanOptimizer?
    /// Per step: the part pointers of concat steps (bound with the batch size; empty for other steps).
    var partPointers: [[UnsafeMutablePointer<Float>]] = []
    var partConstPointers: [[UnsafePointer<Float>]] = []
    /// Per step: the input and input-gradient pointers of weighted-sum steps (bound with the batch size).
    var weightedInputs: [[UnsafePointer<Float>]] = []
    var weightedGradInputs: [[UnsafeMutablePointer<Float>?]] = []

    /// Creates an executor and initializes parameters and state from `seed` (PyTorch's default schemes).
    /// Throws a ``DiagnosticError`` if the plan is inconsistent.
    public init(plan: Plan, seed: UInt64 = 0) throws {
        try plan.validate()
        // Parameters and state are allocated here: refuse a plan whose persistent memory the machine cannot hold.
        var persistentBytes = 0
        for s in plan.slots where s.role.isPersistent {
            let (b, o1) = s.size.fixed.multipliedReportingOverflow(by: 4)
            let (t, o2) = persistentBytes.addingReportingOverflow(b)
            if o1 || o2 { persistentBytes = Int.max; break }
            persistentBytes = t
        }
        guard UInt64(persistentBytes) <= ProcessInfo.processInfo.physicalMemory else {
            throw ExecutorError.error("plan '\(plan.name)' needs \(String(format: "%.1f", Double(persistentBytes) / 1e9)) GB of parameters and state, more than this machine has")
        }
        self.plan = plan
        self.seed = seed
        controlNames = Set(plan.slots.filter { $0.control != nil }.map(\.name))
        self.learningRate = plan.optimizer?.learningRate ?? 0
        optimizer = try plan.optimizer.map(Self.makeOptimizer)
        memory = ExecutorMemory(plan: plan)
        kernels = ContiguousArray(plan.steps.map(\.kernel))
        guardTable = GuardTable(plan: plan)
        activeCandidates = GuardTable.defaultActive(plan)
        initializeParameters()
    }

    /// The optimizer for a plan's spec (throws a ``DiagnosticError`` for invalid hyperparameters).
    static func makeOptimizer(_ spec: OptimizerSpec) throws -> PlanOptimizer {
        switch spec {
        case .sgd(let lr, let momentum, let dampening, let wd, let nesterov):
            return .sgd(try SGD(learningRate: lr, momentum: momentum, dampening: dampening, nesterov: nesterov, weightDecay: wd))
        case .adam(let lr, let b1, let b2, let eps, let wd, let decoupled):
            return .adam(try Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, decoupledWeightDecay: decoupled))
        }
    }

    /// FNV-1a of the UTF-8 bytes: a hash that is the same in every process (unlike `hashValue`).
    static func stableHash(_ s: String) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return Int(bitPattern: UInt(h))
    }

    /// The batch size buffers are bound to (0 before the first run).
    public var batchSize: Int { memory.batch }

    /// Whether flat index `k` of a row-major tensor of `shape` lies in the box `lower ..< upper` (missing bounds = whole axis).
    static func insideBox(_ k: Int, shape: [Int], lower: [Int], upper: [Int]) -> Bool {
        var rest = k
        for d in shape.indices.reversed() {
            let n = max(shape[d], 1), i = rest % n
            rest /= n
            if i < (d < lower.count ? lower[d] : 0) || i >= (d < upper.count ? upper[d] : n) { return false }
        }
        return true
    }

    /// Re-initializes every parameter, state and optimizer-state slot from the seed.
    public func initializeParameters() {
        for (i, s) in plan.slots.enumerated() where s.role.isPersistent {
            let p = memory.f32(i), count = memory.counts[i]
            // Seeded by the slot's name, so a parameter starts the same whatever the plan layout (fused, memory-planned).
            var rng = SeededGenerator(seed: SeededGenerator.derive(seed, 0, Self.stableHash(s.name)))
            switch s.initializer {
            case .ones?: p.update(repeating: 1, count: count)
            case .kaimingUniform(let fanIn)?, .fanInUniform(let fanIn)?:
                let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
                for k in 0..<count { p[k] = rng.uniform(bound: bound) }
            case .zeros?, nil: p.update(repeating: 0, count: count)
            case .box(let lo, let hi)?:
                let shape = s.shape.map { $0.value ?? 1 }
                for k in 0..<count { p[k] = Self.insideBox(k, shape: shape, lower: lo, upper: hi) ? 1 : 0 }
            }
        }
        stepsTaken = 0
        updatesTaken = 0
    }

    /// Binds buffers for a batch of `n` samples (allocates only when `n` changes).
    public func bind(batch n: Int) throws {
        guard n > 0 else { throw ExecutorError.error("batch size must be positive, got \(n)") }
        if n == memory.batch { return }
        // Refuse an allocation the machine cannot hold, with one line, before allocating anything.
        let available = ProcessInfo.processInfo.physicalMemory
        let needed = plan.checkedActivationBytes(batch: n)
        guard let needed, UInt64(needed) <= available else {
            let gb = { (b: Double) in String(format: "%.1f GB", b / 1e9) }
            throw ExecutorError.error("a batch of \(n) samples needs \(needed.map { gb(Double($0)) } ?? "more than 9e9 GB") of activation memory, "
                                      + "more than the \(gb(Double(available))) this machine has; use a smaller --batch-size")
        }
        memory.bind(batch: n)
        partPointers = plan.steps.map { step in
            switch step.kernel {
            case .concat(let c), .concatBackward(let c): return c.parts.map { memory.f32($0) }
            default: return []
            }
        }
        partConstPointers = partPointers.map { $0.map { UnsafePointer($0) } }
        weightedInputs = plan.steps.map { step in
            switch step.kernel {
            case .weightedSumForward(let w), .weightedSumBackward(let w): return w.inputs.map { UnsafePointer(memory.f32($0)) }
            default: return []
            }
        }
        weightedGradInputs = plan.steps.map { step in
            if case .weightedSumBackward(let w) = step.kernel { return w.gradInputs.map { $0.map { memory.f32($0) } } }
            return []
        }
    }

    /// Copies a batch into the input slot, and the labels (if given) into the labels slot.
    func load(data: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int64>?, batch n: Int) throws {
        try bind(batch: n)
        let need = memory.counts[plan.dataInput]
        guard data.count == need, let d = data.baseAddress else {
            throw ExecutorError.error("input batch has \(data.count) values, the plan needs \(need) for \(n) samples")
        }
        if plan.slots[plan.dataInput].type == .i64 {
            // Token ids travel as exact float values (below 2^24); the embedding checks their range.
            let ids = memory.i64(plan.dataInput)
            for k in 0..<need {
                let v = d[k]
                guard v.isFinite, v >= 0, v < 16_777_216, v.rounded() == v else {
                    throw ExecutorError.error("input value \(v) at position \(k) is not a token id")
                }
                ids[k] = Int64(v)
            }
        } else {
            memory.f32(plan.dataInput).update(from: d, count: need)
        }
        guard let labels else { return }
        guard let l = plan.labelsInput else { throw ExecutorError.error("the plan has no labels input") }
        guard plan.slots[l].type == .i64 else {
            throw ExecutorError.error("the plan regresses f32 targets (mse loss); give targets, not class labels")
        }
        guard labels.count == memory.counts[l], let lb = labels.baseAddress else {
            throw ExecutorError.error("got \(labels.count) labels for a batch of \(n)")
        }
        memory.i64(l).update(from: lb, count: labels.count)
    }

    /// Runs the forward steps on a batch. Returns the loss if the plan has one and labels are given (without
    /// labels the loss step is skipped). In `.train` mode batchnorm uses and updates batch statistics and
    /// dropout drops; `.eval` uses running statistics and no dropout.
    @discardableResult
    public func forward(data: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int64>? = nil, batch n: Int,
                        mode: ExecutionMode = .eval) throws -> Float? {
        try load(data: data, labels: labels, batch: n)
        let withLoss = labels != nil
        for i in plan.forwardSteps where withLoss || !isLoss(i) { try run(step: i, training: mode == .train) }
        return withLoss ? plan.loss.map { memory.f32($0)[0] } : nil
    }

    /// Array form of ``forward(data:labels:batch:mode:)``.
    @discardableResult
    public func forward(data: [Float], labels: [Int64]? = nil, batch n: Int, mode: ExecutionMode = .eval) throws -> Float? {
        try data.withUnsafeBufferPointer { d in
            guard let labels else { return try forward(data: d, labels: nil, batch: n, mode: mode) }
            return try labels.withUnsafeBufferPointer { l in try forward(data: d, labels: l, batch: n, mode: mode) }
        }
    }

    func isLoss(_ i: Int) -> Bool { if case .lossForward = plan.steps[i].kernel { return true } else { return false } }

    /// One training step: forward in train mode, loss, backward, optimizer update at ``learningRate``.
    /// Returns the loss.
    @discardableResult
    public func trainStep(data: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int64>, batch n: Int) throws -> Float {
        let loss = try computeGradients(data: data, labels: labels, batch: n)
        try applyGradients()
        return loss
    }

    /// The update half of a training step: clips the gradients (``gradientClipNorm``), runs the optimizer update
    /// steps and counts the step.
    func applyGradients() throws {
        if let maxNorm = gradientClipNorm { clipGradients(maxNorm: maxNorm) }
        for i in plan.updateSteps { try run(step: i, training: true) }
        stepsTaken += 1
        updatesTaken += 1
    }

    /// Array form of ``trainStep(data:labels:batch:)``.
    @discardableResult
    public func trainStep(data: [Float], labels: [Int64], batch n: Int) throws -> Float {
        try data.withUnsafeBufferPointer { d in try labels.withUnsafeBufferPointer { l in try trainStep(data: d, labels: l, batch: n) } }
    }

    /// Computes the loss gradients for a batch without updating (forward in train mode, then backward).
    @discardableResult
    public func computeGradients(data: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int64>, batch n: Int) throws -> Float {
        try gradients { try load(data: data, labels: labels, batch: n) }
    }

    /// Checks the plan trains, runs `load` (which copies a batch in), then the forward (train mode) and backward
    /// steps; returns the loss.
    func gradients(after load: () throws -> Void) throws -> Float {
        guard plan.isTraining, let loss = plan.loss else {
            throw ExecutorError.error("plan '\(plan.name)' has no backward steps (run autodiff before lower)")
        }
        try load()
        for i in plan.forwardSteps { try run(step: i, training: true) }
        for i in plan.backwardSteps { try run(step: i, training: true) }
        return memory.f32(loss)[0]
    }

    /// Array form of ``computeGradients(data:labels:batch:)``.
    @discardableResult
    public func computeGradients(data: [Float], labels: [Int64], batch n: Int) throws -> Float {
        try data.withUnsafeBufferPointer { d in
            try labels.withUnsafeBufferPointer { l in try computeGradients(data: d, labels: l, batch: n) }
        }
    }

    /// Calls `body` with the model output of the last forward pass (no copy).
    public func withOutput<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: memory.f32(plan.logits), count: memory.batch == 0 ? 0 : memory.counts[plan.logits]))
    }

    /// The model output of the last forward pass (`[batch, ...]` flattened).
    public var output: [Float] { values(of: plan.logits) }

    /// The values of any slot (for inspection and tests).
    public func values(of slot: SlotID) -> [Float] {
        guard slot >= 0, slot < plan.slots.count, plan.slots[slot].type == .f32, memory.pointers[slot] != nil else { return [] }
        return Array(UnsafeBufferPointer(start: memory.f32(slot), count: memory.counts[slot]))
    }

    /// The slot of a parameter, state or optimizer-state tensor by name.
    public func slot(named name: String) -> SlotID? {
        plan.slots.firstIndex { $0.role.isPersistent && $0.name == name }
    }

    /// A parameter's (or state's) values by name.
    public func parameter(_ name: String) -> [Float]? { slot(named: name).map { values(of: $0) } }

    /// The gradient of a trainable parameter after the last train step or `computeGradients`.
    public func gradient(of name: String) -> [Float]? {
        guard let p = slot(named: name), let g = plan.gradients.first(where: { $0.parameter == p }) else { return nil }
        return values(of: g.gradient)
    }

    /// Overwrites a parameter or state tensor.
    public func setParameter(_ name: String, _ values: [Float]) throws {
        guard let s = slot(named: name) else { throw ExecutorError.error("the plan has no parameter named '\(name)'") }
        guard values.count == memory.counts[s] else {
            throw ExecutorError.error("parameter '\(name)' has \(memory.counts[s]) values, got \(values.count)")
        }
        memory.f32(s).update(from: values, count: values.count)
    }

    /// Names of the trainable parameters, in plan order.
    public var parameterNames: [String] { plan.slots.filter { $0.role == .parameter }.map(\.name) }
}
