// NNISpaceJSON: writes a search space as an NNI search-space JSON file (classic NAS + HPO `choice`).

/// The NNI search-space file of a space, the form NNI's classic-NAS mutator dumps for tuners:
///
/// ```json
/// {
///   "conv1": {"_type": "layer_choice", "_value": ["conv3", "conv5"]},
///   "skip": {"_type": "input_choice", "_value": {"candidates": [0, 1], "n_chosen": 1}},
///   "width": {"_type": "choice", "_value": [16, 32, 64]},
///   "depth": {"_type": "choice", "_value": [1, 2, 3]}
/// }
/// ```
///
/// Input-choice candidates are written as their indices (nasc's inputs have no user-visible keys), and
/// `n_chosen` is `null` for "any number". Value choices and repeat depths use HPO's `choice` type.
/// Tuners answer in the ``ArchitectureFormat/tuner`` form, which ``ArchitectureJSON`` reads.
public enum NNISpaceJSON {
    /// The search space as a JSON value.
    public static func json(_ space: SearchSpace) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for d in space.decisions {
            switch d.kind {
            case .layerChoice(let names):
                out[d.label] = .object(["_type": .string("layer_choice"), "_value": .array(names.map { .string($0) })])
            case .inputChoice(let n, let k):
                out[d.label] = .object([
                    "_type": .string("input_choice"),
                    "_value": .object(["candidates": .array((0..<n).map { .int($0) }), "n_chosen": k.map { .int($0) } ?? .null]),
                ])
            case .valueChoice(let values):
                out[d.label] = .object(["_type": .string("choice"), "_value": .array(values.map(JSONValue.init))])
            case .repeatDepth(let depths):
                out[d.label] = .object(["_type": .string("choice"), "_value": .array(depths.map { .int($0) })])
            }
        }
        return .object(out)
    }

    /// The search space as deterministic JSON text (sorted keys, trailing newline).
    public static func write(_ space: SearchSpace) -> String { json(space).serialized() }
}
