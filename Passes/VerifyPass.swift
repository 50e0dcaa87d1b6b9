// VerifyPass: the `verify` pass — runs the IR verifier as a pipeline step.
import NASCIR

/// Reports every ``Verifier`` diagnostic; changes nothing.
public struct VerifyPass: Pass {
    public let name = "verify"
    public let summary = "check structure, labels and known types; report every problem"

    /// Creates the pass.
    public init() {}

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        for d in Verifier.verify(space) { context.diagnostics.emit(d) }
    }
}
