// ExecutorError: turns executor and kernel failures into user-facing diagnostics.
import NASCIR
import NASCKernels

/// Diagnostics the executor throws (wrapped in ``DiagnosticError``).
enum ExecutorError {
    /// An error with no source location (runtime input problems).
    static func error(_ message: String) -> DiagnosticError { DiagnosticError(Diagnostic.error(message)) }

    /// A kernel error as a diagnostic.
    static func kernel(_ e: KernelError, step: PlanStep) -> DiagnosticError {
        switch e {
        case .labelOutOfRange(let index, let label, let classes):
            return error("label \(label) of sample \(index) is out of range 0..<\(classes) (loss '\(step.node)')")
        case .tokenOutOfRange(let index, let token, let vocab):
            return error("token id \(token) at position \(index) is not below the vocabulary size \(vocab) (embedding '\(step.node)')")
        }
    }
}
