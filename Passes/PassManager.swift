// PassManager: runs a pipeline of passes, verifying the IR before and after each one.
import Foundation
import NASCIR

/// What a pipeline run produced.
public struct PipelineResult: Sendable {
    /// Every diagnostic reported (passes, verifier, manager), in report order.
    public var diagnostics: [Diagnostic]
    /// The pass that reported an error or left invalid IR; `"<input>"` when the input failed verification.
    public var failedPass: String?
    /// Names of the passes that ran to completion.
    public var completedPasses: [String]

    /// True when no error was reported.
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }

    /// The diagnostics as text lines: `file:line:col: error: message`, each followed by its notes and hint.
    public var lines: [String] { PassManager.render(diagnostics) }
}

/// Runs passes in order (MLIR / SIL style).
///
/// The input is verified first; after each pass the IR is verified again, and a pass that leaves invalid IR
/// is named (`IR is invalid after pass 'x'`) followed by the verifier's findings. The run stops at the first
/// pass that reports an error. An optional callback sees the IR after each successful pass
/// (use ``header(after:)`` for the `// -----// IR after x //----- //` banner).
public struct PassManager {
    /// The passes, in order.
    public var passes: [any Pass]
    /// Verify the input before the first pass (default true).
    public var verifyInput = true
    /// Verify after every pass (default true).
    public var verifyEach = true
    /// Called with the pass name and the IR after each pass that succeeded.
    public var afterEachPass: ((String, ModelSpace) -> Void)?
    /// Records each pass's wall time (and each verifier run's, as `verify`) when set (`--time-passes`).
    public var timer: PassTimer?

    /// Whether the compile pipelines (``PlanCompiler``, ``SupernetCompiler``, the trial subnet) verify before and after
    /// each pass: always in debug builds (tests), and in release builds when the environment sets `NASC_VERIFY_EACH=1`
    /// (`0` turns it off in debug builds too).
    public static let verifiesByDefault: Bool = {
        if let v = ProcessInfo.processInfo.environment["NASC_VERIFY_EACH"] { return v == "1" }
        #if DEBUG
        return true
        #else
        return false
        #endif
    }()

    /// A manager for these passes.
    public init(passes: [any Pass]) { self.passes = passes }

    /// A manager for these passes that verifies as ``verifiesByDefault`` says.
    public init(compiling passes: [any Pass], timer: PassTimer? = nil) {
        self.passes = passes
        verifyInput = Self.verifiesByDefault
        verifyEach = Self.verifiesByDefault
        self.timer = timer
    }

    /// A manager for a pipeline spec (`default`, `canonicalize,dce`, ...). Throws on unknown names.
    public init(pipeline: String) throws { self.passes = try Pipelines.resolve(pipeline) }

    /// Prints the text IR after each successful pass, each dump preceded by ``header(after:)``
    /// (MLIR's `--mlir-print-ir-after-all`). Replaces any ``afterEachPass`` callback.
    public mutating func printIRAfterEachPass(locations: Bool = false, to sink: @escaping (String) -> Void) {
        afterEachPass = { name, space in
            sink(Self.header(after: name) + "\n" + TextIR.print(space, locations: locations))
        }
    }

    /// The banner printed before the IR dumped after a pass.
    public static func header(after pass: String) -> String { "// -----// IR after \(pass) //----- //" }

    /// Runs the passes on `space`, collecting diagnostics in `context` and in the result.
    public func run(on space: inout ModelSpace, context: inout PassContext) -> PipelineResult {
        var completed: [String] = []
        func finish(_ failed: String?) -> PipelineResult {
            PipelineResult(diagnostics: context.diagnostics.diagnostics, failedPass: failed, completedPasses: completed)
        }
        if verifyInput {
            let problems = timer.measure("verify") { Verifier.verify(space) }
            for d in problems { context.diagnostics.emit(d) }
            if problems.contains(where: { $0.severity == .error }) { return finish("<input>") }
        }
        for pass in passes {
            let errorsBefore = context.diagnostics.diagnostics.filter { $0.severity == .error }.count
            do {
                try timer.measure(pass.name) { try pass.run(on: &space, context: &context) }
            } catch let e as DiagnosticError {
                for d in e.diagnostics { context.diagnostics.emit(d) }
            } catch {
                context.diagnostics.error("pass '\(pass.name)' failed: \(error)", at: .unknown)
            }
            let errorsAfter = context.diagnostics.diagnostics.filter { $0.severity == .error }.count
            if errorsAfter > errorsBefore { return finish(pass.name) }
            if verifyEach && !(pass is VerifyPass) {
                let problems = timer.measure("verify") { Verifier.verify(space) }
                if problems.contains(where: { $0.severity == .error }) {
                    context.diagnostics.error("IR is invalid after pass '\(pass.name)'", at: .unknown)
                    for d in problems { context.diagnostics.emit(d) }
                    return finish(pass.name)
                }
            }
            completed.append(pass.name)
            afterEachPass?(pass.name, space)
        }
        return finish(nil)
    }

    /// Runs the passes and throws a ``DiagnosticError`` with everything reported if any error was.
    public func runOrThrow(on space: inout ModelSpace, context: inout PassContext) throws {
        let result = run(on: &space, context: &context)
        if !result.succeeded { throw DiagnosticError(result.diagnostics) }
    }

    /// Renders diagnostics one per line, each followed by its notes and (as `hint: ...`) its hint.
    public static func render(_ diagnostics: [Diagnostic]) -> [String] {
        var out: [String] = []
        for d in diagnostics {
            out.append(d.description)
            for n in d.notes { out.append(n.description) }
            if let h = d.hint { out.append("hint: \(h)") }
        }
        return out
    }
}
