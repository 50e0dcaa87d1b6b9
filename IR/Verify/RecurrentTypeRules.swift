// RecurrentTypeRules: the type rule of the recurrent ops (lstm, gru), shared by the front end's static checker and
// shape inference so both accept the same graphs and word errors the same way.

extension TypeRules {
    /// The PyTorch shapes of a recurrent layer's parameters for one direction: `weight_ih [G H, D]`,
    /// `weight_hh [G H, H]`, `bias_ih [G H]`, `bias_hh [G H]`.
    package static func recurrentParameterShapes(_ cell: RecurrentCell, inputSize d: Int, hidden h: Int) -> [[Int]] {
        let g = cell.gates * h
        return [[g, d], [g, h], [g], [g]]
    }

    /// `lstm` / `gru`: a sequence `f32[N, T, D]` with fixed `T` and `D`, then — once explicit — 4 parameters per
    /// direction in PyTorch's order. `hidden` is `nil` while it reads a value choice (then only the input is checked and
    /// the result is `nil`). Returns `f32[N, T, directions * hidden]`, or the error.
    package static func recurrentOutput(_ cell: RecurrentCell, _ inputs: [TensorType], hidden: Int?,
                                        directions: Int) -> Result<TensorType?, SequenceTypeError> {
        let op = cell.rawValue
        guard let x = inputs.first else { return .failure(SequenceTypeError("\(op) takes a sequence")) }
        guard x.dtype == .f32, x.rank == 3, let t = x.shape[1].value, let d = x.shape[2].value, t >= 1, d >= 1 else {
            return .failure(SequenceTypeError("\(op) needs a sequence f32[N,T,D] with fixed T and D, but gets \(x)"))
        }
        guard let h = hidden else { return .success(nil) }
        let rest = inputs.dropFirst()
        if !rest.isEmpty {
            let one = recurrentParameterShapes(cell, inputSize: d, hidden: h)
            let params = Array(repeating: one, count: directions).flatMap { $0 }
            guard rest.count == params.count,
                  zip(rest, params).allSatisfy({ $0.dtype == .f32 && $0.shape.map(\.value) == $1.map { Optional($0) } }) else {
                let want = one.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ", ")
                return .failure(SequenceTypeError("\(op) takes a sequence and 4 parameters per direction \(want); got \(inputs.count) inputs"))
            }
        }
        return .success(TensorType(.f32, [x.shape[0], x.shape[1], .fixed(directions * h)]))
    }
}
