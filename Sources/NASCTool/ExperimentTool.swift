// ExperimentTool: the library side of `nasc run`, `nasc trial` and `nasc experiment` (loading, setup, trial output).
import Foundation
import NASCData
import NASCExperiment
import NASCIR
import NASCStrategies

/// What the experiment verbs do, apart from argument parsing.
public enum ExperimentTool {
    /// The running `nasc` executable (for spawning trial processes).
    public static func currentExecutable() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    /// Loads a space file (.nas, .nir or protobuf) for an experiment. Inferred node types are dropped, so a `.nas`
    /// file and its `nasc compile` output give the same IR: types inferred for one value of a choice (a compiled
    /// space is shape-inferred with the first values) would contradict other architectures' subnets, and every
    /// trial re-infers the types of its own subnet. Returns the space and the hash of the file's bytes.
    public static func loadSpace(_ file: InputFile) throws -> (ModelSpace, String) {
        let space = dropInferredTypes(try file.loadSpace())
        let bytes = FileManager.default.contents(atPath: file.path).map { [UInt8]($0) } ?? []
        return (space, Experiment.hash(bytes))
    }

    /// The space with every node's inferred types removed (graph input types stay).
    public static func dropInferredTypes(_ space: ModelSpace) -> ModelSpace {
        var space = space
        for g in space.graphs.indices {
            for n in space.graphs[g].nodes.indices { space.graphs[g].nodes[n].types = [] }
        }
        return space
    }

    /// The strategy factory for an experiment directory: an external strategy's stderr goes to `DIR/strategy.log`.
    public static func strategyFactory(directory: String) -> StrategyFactory {
        { config, space, searchSpace in
            var config = config
            if config.strategy == "external" && config.strategyOptions["log"] == nil {
                config.strategyOptions["log"] = URL(fileURLWithPath: directory).appendingPathComponent("strategy.log").path
            }
            return try makeStrategy(config, space, searchSpace)
        }
    }

    /// Makes the strategy a configuration names.
    public static func makeStrategy(_ config: ExperimentConfig, _ space: ModelSpace, _ searchSpace: SearchSpace) throws -> any Strategy {
        do {
            // `zero-cost` and `warmup=PROXY` start from a proxy ranking on the trials' data set (`--data`, default digits).
            let args = config.evaluatorArguments
            let data = args.firstIndex(of: "--data").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } ?? "digits"
            let ranking = try ProxyTable.ranking(strategy: config.strategy, options: config.strategyOptions, space: space,
                                                 data: data, seed: config.seed)
            return try Strategies.make(name: config.strategy, space: searchSpace, seed: config.seed, options: config.strategyOptions,
                                       ranking: ranking)
        } catch let e as DiagnosticError {
            // Strategy errors have no source; point them at the flag.
            throw DiagnosticError(e.diagnostics.map { d in
                var d = d
                if d.location.isUnknown { d.location = SourceLocation(file: "--strategy") }
                return d
            })
        }
    }

    /// Creates a new experiment in `directory` after checking the strategy and evaluator, and returns its runner.
    public static func create(spaceFile: InputFile, directory: String, config: ExperimentConfig,
                              evaluator: EvaluatorSettings) throws -> ExperimentRunner {
        try config.engine.validate()
        // A trial command evaluates architectures itself: nasc's evaluator flags are not needed then.
        if config.engine.trialCommand == nil { try evaluator.validate() }
        let (space, hash) = try loadSpace(spaceFile)
        var config = config
        config.spaceHash = hash
        // Every path is resolved now and stored absolute: trials, and any later `--resume`, may run elsewhere.
        let cwd = FileManager.default.currentDirectoryPath
        var evaluator = evaluator
        if var training = evaluator.training {
            training.data = DataSpec.absolutized(training.data, against: cwd)
            evaluator.training = training
            config.evaluatorArguments = evaluator.arguments
        }
        if let benchmark = evaluator.benchmark, BenchmarkTables.absolute(benchmark) != benchmark {
            evaluator.benchmark = BenchmarkTables.absolute(benchmark)
            config.evaluatorArguments = evaluator.arguments
        }
        config.spacePath = DataSpec.standardized(config.spacePath, against: cwd)
        // Budget-scaled defaults are fixed at creation (stored as options), so a resume with another
        // --max-trials continues the same strategy.
        let givenOptions = Set(config.strategyOptions.keys)
        config.strategyOptions = BudgetDefaults.resolve(strategy: config.strategy, budget: config.maxTrials, given: config.strategyOptions)
        let searchSpace = try SearchSpace(space)
        if config.engine.engine == .ray { _ = try RayJobsClient(address: config.engine.rayAddress ?? "").version() }
        let strategy = try makeStrategy(config, space, searchSpace)
        var curveLength: Int?
        if let benchmark = evaluator.benchmark {
            let table = try BenchmarkTables.make(benchmark, space: searchSpace)
            curveLength = (table as? TableBenchmark)?.entries.values.compactMap { $0.curve?.count }.max()
        }
        if let spec = config.earlyStop {
            // Options resolved and stored (ASHA's max_epochs: the trials' epochs, or the table's longest curve).
            let epochs = evaluator.training?.epochs ?? curveLength ?? evaluator.epochs
            config.earlyStop = try EarlyStopping.parse(spec.name, options: spec.options, epochs: epochs).spec
        }
        if let training = evaluator.training {
            // Fail before the first trial when the data set is missing or does not fit the space's input.
            let data = try ArchitectureTraining.loadData(TrainingEvaluator(settings: training).options)
            try data.train.checkFits(space)
            try data.test?.checkFits(space)
        }
        // The lock comes first: of two runs started at once on a new directory, the second is told another run
        // works there, whichever step it had reached.
        try ExperimentStore.makeExperimentDirectory(directory)
        let lock = try ExperimentLock(directory: directory)
        // A text data set's vocabulary is built once, kept in the experiment, and named in the stored data spec.
        if var training = evaluator.training,
           let pinned = try DataSpec.pinVocabulary(training.data, in: directory, currentDirectory: cwd) {
            training.data = pinned
            evaluator.training = training
            config.evaluatorArguments = evaluator.arguments
        }
        let store = try ExperimentStore.create(directory: directory, config: config, space: space)
        if let s = strategy as? any ReportsEffectiveOptions {
            // The effective strategy settings, in the one-shot strategies' settings.json format.
            let settings = OneShotEffectiveSettings(strategy: config.strategy, values: s.effectiveOptions.sorted { $0.key < $1.key },
                                                    given: givenOptions)
            try OutputFile.write(settings.json, to: URL(fileURLWithPath: directory).appendingPathComponent("settings.json").path)
        }
        return try ExperimentRunner(store: store, makeStrategy: strategyFactory(directory: directory), trialExecutable: currentExecutable(), lock: lock)
    }

    /// Opens a stored experiment for `nasc run --resume`. The files its trials read (the data set) must still be
    /// where the experiment recorded them, or every remaining trial would fail.
    public static func resume(directory: String) throws -> ExperimentRunner {
        let store = try ExperimentStore.open(directory: directory)
        let runner = try ExperimentRunner(store: store, makeStrategy: strategyFactory(directory: directory), trialExecutable: currentExecutable())
        let arguments = runner.config.evaluatorArguments
        if let i = arguments.firstIndex(of: "--data"), i + 1 < arguments.count {
            for path in DataSpec.paths(arguments[i + 1]) where !FileManager.default.fileExists(atPath: path) {
                throw DiagnosticError(.error("the experiment's data set is no longer there (it was started with --data \(arguments[i + 1]))",
                                             at: SourceLocation(file: path)))
            }
        }
        return runner
    }

    /// A note when the experiment's space file changed since it started (the stored copy is used regardless).
    public static func spaceChangeNote(_ store: ExperimentStore) -> String? {
        guard let config = try? store.config(),
              let data = FileManager.default.contents(atPath: config.spacePath) else { return nil }
        guard Experiment.hash([UInt8](data)) != config.spaceHash else { return nil }
        return "note: \(config.spacePath) changed since the experiment started; continuing with the stored copy of the space"
    }

    /// What the experiment's strategy does within its trial budget, when it does not scale with it (grid, rl).
    public static func budgetNote(_ store: ExperimentStore) -> String? {
        guard let c = try? store.config() else { return nil }
        return BudgetDefaults.note(strategy: c.strategy, budget: c.maxTrials, options: c.strategyOptions)
    }

    /// The closing text of `nasc run`: how it ended and the best architecture.
    public static func summary(_ s: ExperimentSummary) -> String {
        var out = "finished (\(s.endReason)): \(s.total) trials, \(s.succeeded) succeeded"
            + (s.stopped > 0 || s.epochsRun > 0 ? " (\(s.stopped) stopped early; \(s.epochsRun) epochs run)" : "") + ", \(s.failed) failed, "
            + (s.unfinished > 0 ? "\(s.unfinished) unfinished (retried by --resume), " : "")
            + "\(ExperimentReport.seconds(s.elapsed)) elapsed\n"
        if s.infrastructureErrors > 0 {
            out += "note: \(s.infrastructureErrors) trial starts failed for lack of resources or a missing executable "
                + "(retried, never counted as trial failures); last: \(s.lastInfrastructureError ?? "unknown")\n"
        }
        if let b = s.best, let m = b.finalMetric {
            out += "best: trial \(b.id), metric \(ExperimentReport.metric(m))\n" + b.architectureJSON
        } else {
            out += "no trial succeeded\n"
        }
        return out
    }

    /// The one-line error of a run that ended with every trial failed (none unfinished, so `--resume` has nothing to
    /// retry): the results are kept, but a script must not take the run for a search that found something.
    public static func noSuccess(_ s: ExperimentSummary, directory: String) -> String? {
        guard s.best == nil, s.failed > 0, s.unfinished == 0 else { return nil }
        return "\(directory): error: no trial succeeded (\(s.failed) failed); `nasc experiment list \(directory)` shows why"
    }

    /// Writes one line to standard output immediately (unbuffered, so nothing is lost if the process dies next).
    public static func writeLine(_ line: String) {
        StandardOutput.write(line + "\n")
    }

    /// Runs `nasc trial`: prints the trial's JSON lines on stdout (and a located diagnostic on stderr for bad
    /// input). Returns the exit code: 0 succeeded, 1 failed.
    public static func trial(spacePath: String, architecturePath: String, trialID: Int?, budget: Budget,
                             evaluator settings: EvaluatorSettings, startedAt: Double) -> Int32 {
        let emit: (TrialMessage) -> Void = { writeLine($0.line) }
        func fail(_ e: DiagnosticError) -> Int32 {
            emit(.error(kind: "input", message: e.diagnostics.first?.description ?? "invalid input"))
            FileHandle.standardError.write(Data((e.description + "\n").utf8))
            return 1
        }
        let file: InputFile
        let archText: String
        do {
            file = try InputFile(path: spacePath)
            guard FileManager.default.fileExists(atPath: architecturePath) else {
                throw DiagnosticError(.error("no such file", at: SourceLocation(file: architecturePath)))
            }
            guard let data = FileManager.default.contents(atPath: architecturePath) else {
                throw DiagnosticError(.error("cannot read file", at: SourceLocation(file: architecturePath)))
            }
            archText = String(decoding: data, as: UTF8.self)
        } catch let e as DiagnosticError {
            return fail(e)
        } catch {
            return fail(DiagnosticError(.error("\(error)", at: SourceLocation(file: spacePath))))
        }
        // The evaluator needs the search space, known only after loading: it is built inside the runner.
        let runner = TrialRunner(evaluator: LazyEvaluator(settings: settings), budget: budget, trialID: trialID)
        let outcome = runner.run(loadSpace: { dropInferredTypes(try file.loadSpace()) }, architectureText: archText, architecturePath: architecturePath,
                                 startedAt: startedAt, emit: emit)
        if case .failed(_, _, let diagnostic?) = outcome {
            FileHandle.standardError.write(Data((diagnostic + "\n").utf8))
        }
        if outcome.exitCode == 0 && settings.faults.lingers(trialID: trialID) { Thread.sleep(forTimeInterval: 3600) }
        return outcome.exitCode
    }

    /// Prepares a trial process started by `nasc run`: it leaves the terminal's process group (a Ctrl-C reaches
    /// only `nasc run`, which then stops its trials in order), and it exits when its parent is gone (a `nasc run`
    /// killed by SIGKILL, which no handler sees), so no trial outlives the experiment loop.
    public static func superviseTrialProcess() {
        setpgid(0, 0)
        // SIGTERM from `nasc run` must end the trial even when a parent handed down a mask that blocks it.
        StopRequest.unblockCatchableSignals()
        // The runner's pid (set by the local launcher): a runner killed before this line leaves a parent that
        // already differs from it; without it, the parent seen now.
        let parent = ProcessInfo.processInfo.environment[LocalTrialLauncher.runnerPIDVariable].flatMap { Int32($0) } ?? getppid()
        if getppid() != parent { _exit(1) }
        let watcher = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.5)
                if getppid() != parent { _exit(1) }
            }
        }
        watcher.start()
    }
}

/// Builds the configured evaluator for the trial's space when evaluation starts.
struct LazyEvaluator: TrialEvaluator {
    var settings: EvaluatorSettings

    func evaluate(_ subject: TrialSubject, progress: (Int, Double) throws -> Void) throws -> TrialMetrics {
        if let training = settings.training {
            try settings.validate()
            return try TrainingEvaluator(settings: training).evaluate(subject, progress: progress)
        }
        let searchSpace = try SearchSpace(subject.space)
        let evaluator = try settings.makeEvaluator(space: searchSpace, rawOutput: { ExperimentTool.writeLine($0) })
        return try evaluator.evaluate(subject, progress: progress)
    }
}
