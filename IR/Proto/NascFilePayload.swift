// NascFilePayload: what a nasc protobuf file holds.

/// The content of a decoded nasc protobuf file (`NascFile.payload`).
public enum NascFilePayload: Hashable, Sendable {
    /// A model space.
    case space(ModelSpace)
    /// An architecture (one value per decision label).
    case architecture(Architecture)
    /// plan later: the executor's Plan will be field 12 of NascFile.
}
