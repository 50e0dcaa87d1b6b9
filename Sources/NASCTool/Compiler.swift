// Compiler: the library side of `nasc compile` — load a space, run a pass pipeline, write IR.
import NASCIR
import NASCPasses

/// Runs pass pipelines over a loaded space, with optional IR printing after each pass.
public struct Compiler {
    /// Pipeline spec: pass and pipeline names separated by commas (`default`, `canonicalize,dce`).
    public var pipeline: String
    /// Called with the printed IR after each pass, when set.
    public var printAfterEachPass: ((String) -> Void)?
    /// Print locations in the per-pass IR dumps.
    public var locations = false
    /// Records each pass's and verifier run's wall time when set (`--time-passes`).
    public var timer: PassTimer?

    /// Creates a compiler for a pipeline spec.
    public init(pipeline: String = "default") { self.pipeline = pipeline }

    /// Runs the pipeline on `space`. Throws DiagnosticError with located errors from any pass.
    public func run(_ space: ModelSpace, context: PassContext = PassContext()) throws -> ModelSpace {
        var manager = try PassManager(pipeline: pipeline)
        if let sink = printAfterEachPass { manager.printIRAfterEachPass(locations: locations, to: sink) }
        manager.timer = timer
        var space = space
        var context = context
        try manager.runOrThrow(on: &space, context: &context)
        return space
    }

    /// Serializes `space` for `path`: text IR for `.nir`, protobuf otherwise.
    public static func serialize(_ space: ModelSpace, for path: String) throws -> [UInt8] {
        if path.hasSuffix(".nir") { return Array(TextIR.print(space).utf8) }
        return try ProtoIO.encode(space)
    }
}
