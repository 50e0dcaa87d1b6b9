// Checkpoint: a plan's persistent tensors and run counters — what a resumed run needs to continue exactly.

/// The saved state of an executor (and its trainer's position): every parameter, state and optimizer-state
/// tensor by slot name, the counters that drive dropout masks and optimizer bias correction, and where in the
/// data the run stopped. Stored as the `checkpoint` payload of a NascFile.
public struct Checkpoint: Hashable, Sendable {
    /// One saved tensor.
    public struct Tensor: Hashable, Sendable {
        /// The slot name (`conv1.weight`, `conv1.weight/optimizer_state`, `bn.running_mean`).
        public var name: String
        public var role: SlotRole
        public var values: [Float]
        /// The tensor's shape (empty when unknown: files written before shapes were recorded).
        public var shape: [Int]
        /// Creates a tensor entry.
        public init(name: String, role: SlotRole, values: [Float], shape: [Int] = []) {
            self.name = name; self.role = role; self.values = values; self.shape = shape
        }
    }

    /// Per-channel input normalization `x' = (x - mean[c]) / std[c]`, fitted on the training split.
    public struct Normalization: Hashable, Sendable {
        public var mean: [Float]
        public var std: [Float]
        /// Creates normalization statistics.
        public init(mean: [Float], std: [Float]) { self.mean = mean; self.std = std }
    }

    /// The plan's name (checked on restore).
    public var planName: String
    /// The executor seed.
    public var seed: UInt64
    /// Training steps run.
    public var stepsTaken: Int
    /// Optimizer updates applied.
    public var updatesTaken: Int
    /// The learning rate of the next update.
    public var learningRate: Double
    /// The epoch to resume.
    public var epoch: Int
    /// Batches of `epoch` already trained.
    public var batchInEpoch: Int
    /// Persistent tensors, in slot order.
    public var tensors: [Tensor]
    /// What the model's inputs were normalized with during training (`nil`: not recorded).
    public var inputNormalization: Normalization?

    /// Creates a checkpoint.
    public init(planName: String, seed: UInt64, stepsTaken: Int, updatesTaken: Int, learningRate: Double, epoch: Int = 0,
                batchInEpoch: Int = 0, tensors: [Tensor]) {
        self.planName = planName; self.seed = seed; self.stepsTaken = stepsTaken; self.updatesTaken = updatesTaken
        self.learningRate = learningRate; self.epoch = epoch; self.batchInEpoch = batchInEpoch; self.tensors = tensors
    }
}
