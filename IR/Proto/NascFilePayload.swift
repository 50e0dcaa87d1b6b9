// NascFilePayload: what a nasc protobuf file holds.

/// The content of a decoded nasc protobuf file (`NascFile.payload`).
public enum NascFilePayload: Hashable, Sendable {
    /// A model space.
    case space(ModelSpace)
    /// An architecture (one value per decision label).
    case architecture(Architecture)
    /// An executable plan (validated on decode).
    case plan(Plan)
    /// A training checkpoint.
    case checkpoint(Checkpoint)
}
