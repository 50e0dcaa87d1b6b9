// PlanRecurrentStep: the typed payload of the recurrent steps (one lstm or gru layer, forward and backward).

/// One recurrent layer over `[N, length, inputSize]` (batch first) to `[N, length, directions * hidden]`, PyTorch's
/// layout: per direction (forward, then reverse) `weightIH [G H, D]`, `weightHH [G H, H]`, `biasIH`, `biasHH [G H]`.
/// Forward reads `input`, the weights and biases, writes `output` and the `saved` gates and cell states. Backward reads
/// `input`, `output`, `saved`, the weights and `gradOutput`, and writes `gradInput` and the parameter gradients, using
/// `workspace` (the biases are empty there).
public struct RecurrentStep: Hashable, Sendable {
    public var cell: RecurrentCell
    public var length: Int, inputSize: Int, hidden: Int, bidirectional: Bool
    public var input: SlotID, output: SlotID, saved: SlotID
    public var weightIH: [SlotID], weightHH: [SlotID], biasIH: [SlotID], biasHH: [SlotID]
    public var gradOutput: SlotID?, gradInput: SlotID?
    public var gradWeightIH: [SlotID], gradWeightHH: [SlotID], gradBiasIH: [SlotID], gradBiasHH: [SlotID]
    public var workspace: SlotID?

    /// Creates a step; the gradient fields stay empty for a forward step.
    public init(cell: RecurrentCell, length: Int, inputSize: Int, hidden: Int, bidirectional: Bool, input: SlotID,
                output: SlotID, saved: SlotID, weightIH: [SlotID], weightHH: [SlotID], biasIH: [SlotID] = [],
                biasHH: [SlotID] = [], gradOutput: SlotID? = nil, gradInput: SlotID? = nil, gradWeightIH: [SlotID] = [],
                gradWeightHH: [SlotID] = [], gradBiasIH: [SlotID] = [], gradBiasHH: [SlotID] = [], workspace: SlotID? = nil) {
        self.cell = cell; self.length = length; self.inputSize = inputSize; self.hidden = hidden
        self.bidirectional = bidirectional; self.input = input; self.output = output; self.saved = saved
        self.weightIH = weightIH; self.weightHH = weightHH; self.biasIH = biasIH; self.biasHH = biasHH
        self.gradOutput = gradOutput; self.gradInput = gradInput; self.gradWeightIH = gradWeightIH
        self.gradWeightHH = gradWeightHH; self.gradBiasIH = gradBiasIH; self.gradBiasHH = gradBiasHH; self.workspace = workspace
    }

    /// Directions (1 or 2).
    public var directions: Int { bidirectional ? 2 : 1 }
    /// Rows of every weight and bias, `G H`.
    public var gateRows: Int { cell.gates * hidden }
    /// Saved elements per sample: per direction and step the gates (and the GRU's `W_hn h + b_hn`) and the LSTM's cell
    /// state, `(G + 1) H`.
    public static func savedPerSample(cell: RecurrentCell, length: Int, hidden: Int, directions: Int) -> Int {
        directions * length * (cell.gates + 1) * hidden
    }
    /// Backward workspace elements per sample: the input-side and recurrent-side gate gradients, the previous states and
    /// two carried state gradients.
    public static func workspacePerSample(cell: RecurrentCell, length: Int, hidden: Int) -> Int {
        length * (2 * cell.gates * hidden + hidden) + 2 * hidden
    }
}
