// TrialRunner: the work of one `nasc trial` process — load, specialize, compile, budget check, evaluate, report lines.
import Foundation
import NASCIR
import NASCPasses

/// Runs one trial and reports it as ``TrialMessage`` lines.
///
/// Steps (each timed for the overhead report): load the space, read the architecture, build the typed subnet once
/// (the `subnet-typed` pipeline: `specialize` is reported as the specialize time, the rest as the compile time),
/// cost it for the ``Budget``, then evaluate: the evaluator gets that subnet (`TrialSubject/subnet`) and compiles its
/// plan from it, so nothing is specialized or shape-inferred twice. Every failure —
/// bad input, a budget rejection, an evaluator error, a diverging metric — ends with an `error` line.
public struct TrialRunner {
    /// The evaluator (possibly wrapped in fault injection).
    public var evaluator: any TrialEvaluator
    /// Limits checked on the subnet before evaluating.
    public var budget: Budget
    /// The trial's id in its experiment, when run by `nasc run`.
    public var trialID: Int?
    /// Records the subnet pipeline's passes (a fresh timer when `nil`); share it with the evaluator to see every
    /// compile of the trial in one place.
    public var timer: PassTimer?

    /// Creates a runner.
    public init(evaluator: any TrialEvaluator, budget: Budget = Budget(), trialID: Int? = nil, timer: PassTimer? = nil) {
        self.evaluator = evaluator; self.budget = budget; self.trialID = trialID; self.timer = timer
    }

    /// How a run ended.
    public enum Outcome: Sendable, Equatable {
        case succeeded(TrialMetrics)
        /// Failed; `diagnostic` is set for located input errors (to print on stderr too).
        case failed(kind: String, message: String, diagnostic: String?)

        /// The process exit code: 0 on success, 1 otherwise.
        public var exitCode: Int32 {
            if case .succeeded = self { return 0 }
            return 1
        }
    }

    /// Runs the trial. `loadSpace` reads the space file; `architectureText` is the architecture JSON read from
    /// `architecturePath`; `startedAt` is when the command began. Every message goes to `emit`.
    public func run(loadSpace: () throws -> ModelSpace, architectureText: String, architecturePath: String,
                    startedAt: Double, emit: (TrialMessage) -> Void) -> Outcome {
        func fail(_ kind: String, _ message: String, diagnostic: String? = nil) -> Outcome {
            emit(.error(kind: kind, message: message))
            return .failed(kind: kind, message: message, diagnostic: diagnostic)
        }
        var clock = Stopwatch()
        let space: ModelSpace, arch: Architecture, subnet: ModelSpace
        let loadMs: Double, specializeMs: Double, compileMs: Double
        do {
            space = try loadSpace()
            loadMs = clock.lap()
            arch = try ArchitectureJSON.read(architectureText, space: try SearchSpace(space), file: architecturePath)
            let readMs = clock.lap()
            let timer = self.timer ?? PassTimer()
            let first = timer.entries.count
            subnet = try PlanCompiler.subnet(space, arch, timer: timer)
            let pipelineMs = clock.lap()
            let specialize = 1000 * timer.entries[first...].filter { $0.name == "specialize" && $0.depth == 0 }.reduce(0) { $0 + $1.seconds }
            specializeMs = readMs + specialize
            compileMs = max(0, pipelineMs - specialize)
        } catch let e as DiagnosticError {
            return fail("input", e.diagnostics.first.map(\.description) ?? "invalid input", diagnostic: e.description)
        } catch {
            return fail("input", "\(error)")
        }
        // The budget's cost reads the subnet's types (no second specialization or shape inference).
        let cost = subnet.rootGraph.flatMap(OpCost.typedGraphCost)
        emit(.overhead(startedAt: startedAt, loadMs: loadMs, specializeMs: specializeMs, compileMs: compileMs,
                       params: cost?.params, flops: cost?.flops))
        if let reason = budget.rejection(for: cost) { return fail("budget", reason) }
        let subject = TrialSubject(space: space, architecture: arch, subnet: subnet, trialID: trialID)
        do {
            let metrics = try evaluator.evaluate(subject) { epoch, metric in
                guard metric.isFinite else {
                    throw TrialFailure(kind: "diverged", message: "metric is \(metric) at epoch \(epoch)")
                }
                emit(.intermediate(epoch: epoch, metric: metric))
            }
            guard metrics.final.isFinite else { return fail("diverged", "final metric is \(metrics.final)") }
            emit(.final(metric: metrics.final, params: cost?.params, flops: cost?.flops, loss: metrics.loss, test: metrics.test))
            return .succeeded(metrics)
        } catch let f as TrialFailure {
            return fail(f.kind, f.message)
        } catch let e as DiagnosticError {
            return fail("evaluator", e.diagnostics.first.map(\.description) ?? "evaluator error", diagnostic: e.description)
        } catch {
            return fail("evaluator", "\(error)")
        }
    }
}

/// Milliseconds between laps.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    init() {}
    /// Milliseconds since the previous lap (or creation).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e6
    }
}
