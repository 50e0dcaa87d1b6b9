// Version: the nasc version `nasc --version` prints.

/// The version of this build of nasc.
public enum NASCVersion {
    /// Semantic version of the tool (the store and protobuf schemas have their own version checks).
    public static let string = "0.1.0"
}
