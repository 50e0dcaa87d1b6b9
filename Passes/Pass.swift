// Pass: the protocol every IR pass implements. One pass per file; PassRegistry lists them all.
import NASCIR

/// A named transformation or analysis of a model space.
///
/// Passes are small values: a name used in pipelines (`--passes=dce,shape-infer`), a one-line summary for
/// `nasc passes`, and `run`. A pass reports user errors through `context.diagnostics` (with the node's
/// location) and throws only to abort; the pass manager verifies the IR after every pass.
public protocol Pass: Sendable {
    /// Pipeline name, lower-case with dashes (e.g. `shape-infer`).
    var name: String { get }
    /// One line, shown by `nasc passes`.
    var summary: String { get }
    /// Transforms `space` in place.
    func run(on space: inout ModelSpace, context: inout PassContext) throws
}

/// State shared by the passes of one pipeline run.
public struct PassContext: Sendable {
    /// Diagnostics reported so far.
    public var diagnostics = DiagnosticEngine()
    /// The architecture to apply, for passes that specialize a space (multi-trial).
    public var architecture: Architecture?
    /// The executable plan, once the `lower` pass has produced it (later plan passes such as `memory-plan` edit it).
    public var plan: Plan?

    /// Creates a context. Pass options are typed fields of the passes (``ConfigurablePass``), not context entries.
    public init(architecture: Architecture? = nil) {
        self.architecture = architecture
    }
}
