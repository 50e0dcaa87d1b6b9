// EvaluatorSettings: the evaluator flags shared by `nasc run` and `nasc trial`, and the evaluator they select.
import NASCIR

/// Which evaluator a trial uses and how, as given on the command line. `nasc run` stores ``arguments`` and passes
/// them to every `nasc trial` process, which parses them back with the same option group.
///
/// Evaluator kinds:
/// - `--benchmark synthetic:SEED`: table lookup in the strategies' ``SyntheticLandscape`` (see ``BenchmarkTables``);
///   `--benchmark table:PATH`: a JSON-lines ``TableBenchmark``.
/// - `--data SPEC`: train the subnet on a data set with the runtime and report validation accuracy per epoch
///   (``training``; the evaluator itself lives with the runtime, in NASCTool's `TrainingEvaluator`).
public struct EvaluatorSettings: Sendable, Equatable {
    /// `--benchmark NAME:SEED`.
    public var benchmark: String?
    /// Training settings (`--data` and the hyper-parameter flags), when trials train for real.
    public var training: TrainingSettings?
    /// `--epochs`: epochs a benchmark evaluation reports.
    public var epochs: Int
    /// `--epoch-ms`: simulated time per benchmark epoch.
    public var epochMs: Int
    /// Test aids (`--crash-every`, `--nan-every`, `--garbage-every`, `--hang-every`, `--fail-when`).
    public var faults: FaultInjection

    /// Creates settings.
    public init(benchmark: String? = nil, epochs: Int = 3, epochMs: Int = 0, faults: FaultInjection = FaultInjection(),
                training: TrainingSettings? = nil) {
        self.benchmark = benchmark; self.epochs = epochs; self.epochMs = epochMs; self.faults = faults
        self.training = training
    }

    /// The flags that reproduce these settings (defaults omitted).
    public var arguments: [String] {
        var out: [String] = []
        if let benchmark { out += ["--benchmark", benchmark] }
        if let training { out += training.arguments }
        if epochs != 3 { out += ["--epochs", String(epochs)] }
        if epochMs != 0 { out += ["--epoch-ms", String(epochMs)] }
        if let n = faults.crashEvery { out += ["--crash-every", String(n)] }
        if let n = faults.nanEvery { out += ["--nan-every", String(n)] }
        if let n = faults.garbageEvery { out += ["--garbage-every", String(n)] }
        if let n = faults.hangEvery { out += ["--hang-every", String(n)] }
        if let n = faults.lingerEvery { out += ["--linger-every", String(n)] }
        for (k, v) in faults.failWhen.sorted(by: { $0.key < $1.key }) { out += ["--fail-when", "\(k)=\(v)"] }
        return out
    }

    /// Checks the settings without a space (bad values are errors located at the flag).
    public func validate() throws {
        if let training {
            guard benchmark == nil else {
                throw DiagnosticError(.error("give either --data (train) or --benchmark, not both", at: SourceLocation(file: "--benchmark")))
            }
            try training.validate()
        } else {
            guard let benchmark else {
                throw DiagnosticError(.error("no evaluator: give --data SPEC to train trials (e.g. --data digits) or --benchmark synthetic:SEED or table:PATH",
                                             at: SourceLocation(file: "--data")))
            }
            _ = try BenchmarkTables.spec(benchmark)
        }
        guard epochs >= 1 && epochs <= 10_000 else {
            throw DiagnosticError(.error("--epochs must be between 1 and 10000, got \(epochs)", at: SourceLocation(file: "--epochs")))
        }
        guard epochMs >= 0 && epochMs <= 3_600_000 else {
            throw DiagnosticError(.error("--epoch-ms must be between 0 and 3600000, got \(epochMs)", at: SourceLocation(file: "--epoch-ms")))
        }
        for (flag, v) in [("--crash-every", faults.crashEvery), ("--nan-every", faults.nanEvery),
                          ("--garbage-every", faults.garbageEvery), ("--hang-every", faults.hangEvery),
                          ("--linger-every", faults.lingerEvery)] {
            if let v, v < 1 { throw DiagnosticError(.error("\(flag) must be at least 1, got \(v)", at: SourceLocation(file: flag))) }
        }
    }

    /// The evaluator for a space; `rawOutput` writes a raw stdout line (used by the garbage test aid).
    public func makeEvaluator(space: SearchSpace, rawOutput: @escaping @Sendable (String) -> Void) throws -> any TrialEvaluator {
        try validate()
        let table = try BenchmarkTables.make(benchmark ?? "", space: space)
        let base = BenchmarkEvaluator(table: table, epochs: epochs, epochDelay: Double(epochMs) / 1000)
        if faults.isEmpty { return base }
        return FaultInjectingEvaluator(base: base, faults: faults, rawOutput: rawOutput)
    }
}
