// PlanSupernetSteps: typed payload of the supernet weighted-sum steps (DARTS mixed ops and input choices).

/// `output = sum_k weights[k] * inputs[k]` (forward), or its backward: `gradInputs[k] = weights[k] * gradOutput`
/// and `gradWeights[k] = <inputs[k], gradOutput>`. All inputs have one size; `weights` holds `inputs.count` floats.
public struct WeightedSumStep: Hashable, Sendable {
    public var inputs: [SlotID]
    public var weights: SlotID
    /// Forward only.
    public var output: SlotID?
    /// Backward only.
    public var gradOutput: SlotID?
    /// Backward only: one entry per input (`nil` = not needed).
    public var gradInputs: [SlotID?]
    /// Backward only.
    public var gradWeights: SlotID?
    /// Creates a weighted-sum step.
    public init(inputs: [SlotID], weights: SlotID, output: SlotID? = nil, gradOutput: SlotID? = nil, gradInputs: [SlotID?] = [],
                gradWeights: SlotID? = nil) {
        self.inputs = inputs; self.weights = weights; self.output = output; self.gradOutput = gradOutput
        self.gradInputs = gradInputs; self.gradWeights = gradWeights
    }
}
