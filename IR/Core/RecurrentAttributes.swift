// RecurrentAttributes: typed attributes of the recurrent sequence ops (lstm, gru) and the cell kind they name.

/// The cell of a recurrent layer: PyTorch's gate layout, `gates` blocks of `hidden` rows in every weight and bias.
public enum RecurrentCell: String, Hashable, Sendable, CaseIterable {
    /// `nn.LSTM`: gates `i, f, g, o`; `c' = f c + i g`, `h' = o tanh(c')`.
    case lstm
    /// `nn.GRU`: gates `r, z, n`; `n = tanh(W_in x + b_in + r (W_hn h + b_hn))`, `h' = (1 - z) n + z h`.
    case gru

    /// Gate blocks per weight matrix (4 for LSTM, 3 for GRU).
    public var gates: Int { self == .lstm ? 4 : 3 }
}

/// `lstm` / `gru`: one recurrent layer over a batch-first sequence `f32[N,T,D]` to `f32[N,T,H]` (`[N,T,2H]` when
/// bidirectional: the forward direction's states, then the reverse direction's), PyTorch's parameters
/// `weight_ih_l0 [G*H, D]`, `weight_hh_l0 [G*H, H]`, `bias_ih_l0 [G*H]`, `bias_hh_l0 [G*H]` (and `_reverse`), zero
/// initial state, no masking of padding steps (as `nn.LSTM` / `nn.GRU` without packed sequences).
public struct RecurrentAttrs: Hashable, Sendable {
    /// The hidden size `H` (may be a value choice).
    public var hidden: ValueExpr
    /// Whether a second direction runs from the last step to the first.
    public var bidirectional: Bool
    /// Creates recurrent attributes.
    public init(hidden: ValueExpr, bidirectional: Bool = false) { self.hidden = hidden; self.bidirectional = bidirectional }

    /// Directions (1 or 2).
    public var directions: Int { bidirectional ? 2 : 1 }
}

extension Op {
    /// The cell and attributes of a recurrent op (`lstm`, `gru` and their gradients), `nil` for every other op.
    public var recurrent: (cell: RecurrentCell, attrs: RecurrentAttrs)? {
        switch self {
        case .lstm(let a), .lstmGrad(let a): return (.lstm, a)
        case .gru(let a), .gruGrad(let a): return (.gru, a)
        default: return nil
        }
    }
}
