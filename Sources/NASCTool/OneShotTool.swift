// OneShotTool: the library side of `nasc compile --supernet` and one-shot `nasc run` (DARTS, GumbelDARTS, SPOS,
// Proxyless; ENAS by name): option parsing, the search, and the experiment directory's log and export.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime
import NASCStrategies

/// Supernet plans and one-shot searches for the CLI.
public enum OneShotTool {
    /// The one-shot strategy names `nasc run --strategy` dispatches here.
    public static let strategies = ["darts", "gumbel", "enas", "spos", "proxyless"]

    /// Whether `name` is a one-shot strategy (as opposed to a multi-trial one).
    public static func isOneShot(_ name: String) -> Bool { strategies.contains(name) }

    /// The supernet mode named on the command line; a located error for an unknown name.
    public static func mode(_ name: String) throws -> SupernetMode {
        guard let m = SupernetMode(rawValue: name) else {
            throw DiagnosticError(Diagnostic.error("unknown supernet mode '\(name)' (expected darts, gumbel, sampled or proxyless)",
                                                   at: SourceLocation(file: "--supernet")))
        }
        return m
    }

    /// The memory-planned supernet plan of `space` (weights trained with the options' optimizer).
    /// `timer` records each stage's wall time (`--time-passes`).
    public static func plan(_ space: ModelSpace, mode: String, options: TrainOptions, training: Bool,
                            timer: PassTimer? = nil) throws -> Plan {
        try SupernetCompiler.compile(space, mode: try Self.mode(mode), training: training, options: options.planOptions,
                                     passes: [MemoryPlan()], timer: timer)
    }

    /// What a one-shot search produced.
    public struct Outcome: Sendable {
        /// The exported architecture as NNI 3.0 JSON (`nasc train --arch` reads it).
        public var architectureJSON: String
        /// One entry per epoch (the supernet training epochs).
        public var epochs: [OneShotEpochLog]
        /// Files written to the experiment directory.
        public var files: [String]
    }

    /// Runs a one-shot search (`darts`, `gumbel`, `spos`, `proxyless`) on the options' data set; `log` gets one line
    /// per epoch and stage. Returns the exported architecture as NNI JSON (the form `nasc train --arch` reads).
    public static func search(_ space: ModelSpace, strategy: String, options: TrainOptions, strategyOptions: [String: String] = [:],
                              log: (String) -> Void) throws -> String {
        try run(space, strategy: strategy, options: options, strategyOptions: strategyOptions, directory: nil, log: log).architectureJSON
    }

    /// Runs a one-shot search and, with a `directory`, writes `DIR/oneshot.jsonl` (one JSON line per epoch: losses,
    /// accuracies, every choice's probabilities, strategy figures) and the export `DIR/best_architecture.json`
    /// (NNI 3.0) and `DIR/best_architecture.nni-v1.json` (NNI 1.x).
    public static func run(_ space: ModelSpace, strategy: String, options: TrainOptions, strategyOptions: [String: String],
                           directory: String?, log: (String) -> Void) throws -> Outcome {
        guard isOneShot(strategy) else {
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected \(strategies.joined(separator: ", ")))",
                                                   at: SourceLocation(file: "--strategy")))
        }
        var opts = OneShotOptions(strategyOptions)
        let searchSpace = try SearchSpace(space)
        var epochs: [OneShotEpochLog] = []
        func epochLog(_ e: OneShotEpochLog) { epochLog(e, summary: e.summary) }
        func epochLog(_ e: OneShotEpochLog, summary: String) {
            epochs.append(e)
            log(summary)
            for (label, p) in e.probabilities.sorted(by: { $0.key < $1.key }) {
                log("  \(label): " + p.map { String(format: "%.3f", $0) }.joined(separator: " "))
            }
        }
        func prepare() throws -> (train: Dataset, validation: Dataset?) {
            try opts.finish()
            if let directory { try makeDirectory(directory) }
            let data = try ArchitectureTraining.loadData(options)
            if let input = space.rootGraph?.inputs.first { try data.train.check(matches: input.type, at: input.location) }
            return (data.train, data.validation)
        }
        let arch: Architecture
        var extraFiles: [String] = []
        switch strategy {
        case "darts", "gumbel":
            var c = try configured(DartsConfig(), options, &opts)
            c.unrolled = try opts.bool("unrolled") ?? c.unrolled
            c.xi = try opts.double("xi") ?? c.xi
            c.archLR = try opts.double("arch_lr") ?? c.archLR
            c.alphaInitStd = try opts.double("alpha_init_std") ?? c.alphaInitStd
            c.earlyStopSkips = try opts.int("early_stop_skips") ?? c.earlyStopSkips
            c.auxSkipBeta = try opts.double("aux_skip_beta") ?? c.auxSkipBeta
            c.temperatureInit = try opts.double("temperature_init") ?? c.temperatureInit
            c.temperatureMin = try opts.double("temperature_min") ?? c.temperatureMin
            if strategy == "gumbel" { c.hard = try opts.bool("hard") ?? c.hard }
            guard c.temperatureMin > 0, c.temperatureMin <= c.temperatureInit else {
                throw opts.error("the Gumbel temperature must satisfy 0 < temperature_min <= temperature_init")
            }
            let data = try prepare()
            // As in DARTS: half of the training split trains the weights, the other half the architecture.
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            let darts = try DartsSearch(space: space, config: c, mode: strategy == "gumbel" ? .gumbel : .darts)
            arch = try darts.run(train: halves.train, valid: halves.validation, log: epochLog)
            if darts.epochsRun < c.epochs { log("early stop after epoch \(darts.epochsRun - 1): \(c.earlyStopSkips) or more choices prefer a skip connection") }
        case "proxyless":
            var c = try configured(ProxylessConfig(), options, &opts)
            if let p = opts.string("paths") {
                switch p {
                case "2": c.paths = 2
                case "all": c.paths = 0
                default: throw opts.error("paths must be 2 or all, got '\(p)'")
                }
            }
            c.flopsPenalty = try opts.double("flops_penalty") ?? 0
            c.archLR = try opts.double("arch_lr") ?? c.archLR
            c.alphaInitStd = try opts.double("alpha_init_std") ?? c.alphaInitStd
            let latencySource = try ProxylessLatencyOptions.configure(&c, &opts)
            let data = try prepare()
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            let search = try ProxylessSearch(space: space, config: c)
            if let file = latencySource {
                try search.setLatencyTable(try ProxylessLatencyTable.read(file: file, candidates: search.candidateNames))
            }
            arch = try search.run(train: halves.train, valid: halves.validation, log: epochLog)
            if let t = search.latencyTable, let directory {
                let path = join(directory, "latency_table.json")
                try OutputFile.write(t.json(candidates: search.candidateNames), to: path)
                extraFiles.append(path)
            }
        case "spos":
            var c = try configured(SPOSConfig(), options, &opts)
            c.population = try opts.int("population") ?? c.population
            c.generations = try opts.int("generations") ?? c.generations
            let data = try prepare()
            let spos = try SPOSSearch(space: space, config: c)
            let valid = data.validation ?? data.train
            try spos.train(data.train, valid: valid) { e in
                var e = e
                // Uniform sampling: every candidate has the same probability.
                for d in searchSpace.decisions {
                    switch d.kind {
                    case .layerChoice(let names): e.probabilities[d.label] = names.map { _ in 1 / Double(names.count) }
                    case .inputChoice(let n, _): e.probabilities[d.label] = (0..<n).map { _ in 1 / Double(n) }
                    default: break
                    }
                }
                epochLog(e)
            }
            let (best, acc) = try spos.search(calibration: data.train, valid: valid)
            log("evolution: \(spos.evaluated.count) subnets evaluated, best validation accuracy \(acc)")
            arch = best
        case "enas":
            var c = try configured(ENASConfig(), options, &opts)
            c.entropyWeight = try opts.double("entropy_weight") ?? c.entropyWeight
            c.baselineDecay = try opts.double("baseline_decay") ?? c.baselineDecay
            c.ctrlSteps = try opts.int("ctrl_steps") ?? c.ctrlSteps
            c.ctrlStepsAggregate = try opts.int("ctrl_steps_aggregate") ?? c.ctrlStepsAggregate
            c.exportSamples = try opts.int("export_samples") ?? c.exportSamples
            let data = try prepare()
            let enas = try ENASSearch(space: space, config: c)
            let (best, acc) = try enas.run(train: data.train, valid: data.validation ?? data.train) { e in
                var o = e.oneShot
                o.extra["reward"] = e.meanReward
                o.extra["baseline"] = e.baseline
                o.extra["controller_updates"] = Double(e.controllerUpdates)
                epochLog(o, summary: e.summary)
            }
            log("export: best of the controller's argmax and \(c.exportSamples) samples, validation accuracy \(acc)")
            arch = best
        default:
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected \(strategies.joined(separator: ", ")))",
                                                   at: SourceLocation(file: "--strategy")))
        }
        let json = try ArchitectureJSON.write(arch, space: searchSpace)
        var files: [String] = []
        if let directory {
            let logPath = join(directory, "oneshot.jsonl"), v3 = join(directory, "best_architecture.json")
            let v1 = join(directory, "best_architecture.nni-v1.json")
            try OutputFile.write(epochs.map { $0.jsonLine + "\n" }.joined(), to: logPath)
            try OutputFile.write(json, to: v3)
            try OutputFile.write(try ArchitectureJSON.write(arch, space: searchSpace, format: .nniV1), to: v1)
            files = [logPath, v3, v1] + extraFiles
        }
        return Outcome(architectureJSON: json, epochs: epochs, files: files)
    }

    /// `config` with the options' supernet training settings and the `max_batches` strategy option.
    static func configured<C: OneShotTrainingSettings>(_ config: C, _ options: TrainOptions, _ opts: inout OneShotOptions) throws -> C {
        var c = config
        c.epochs = options.epochs; c.batchSize = options.batchSize; c.weightLearningRate = options.learningRate
        c.momentum = options.momentum; c.weightDecay = options.weightDecay; c.seed = options.seed
        c.maxBatchesPerEpoch = try opts.int("max_batches") ?? 0
        return c
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    static func makeDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw DiagnosticError(.error("cannot create directory: \(error.localizedDescription)", at: SourceLocation(file: path)))
        }
    }
}

/// `--strategy-option KEY=VALUE` settings of a one-shot strategy, with located errors for bad values and for keys
/// no strategy reads (reported by ``finish()``).
struct OneShotOptions {
    var values: [String: String]
    var used: Set<String> = []

    init(_ values: [String: String]) { self.values = values }

    func error(_ message: String) -> DiagnosticError {
        DiagnosticError(.error(message, at: SourceLocation(file: "--strategy-option")))
    }

    mutating func string(_ key: String) -> String? { used.insert(key); return values[key] }

    mutating func bool(_ key: String) throws -> Bool? {
        guard let v = string(key) else { return nil }
        switch v.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw error("\(key) must be true or false, got '\(v)'")
        }
    }

    mutating func double(_ key: String) throws -> Double? {
        guard let v = string(key) else { return nil }
        guard let d = Double(v), d.isFinite, d >= 0 else { throw error("\(key) must be a non-negative number, got '\(v)'") }
        return d
    }

    mutating func int(_ key: String) throws -> Int? {
        guard let v = string(key) else { return nil }
        guard let i = Int(v), i >= 0 else { throw error("\(key) must be a non-negative integer, got '\(v)'") }
        return i
    }

    /// Throws for options the strategy did not read.
    func finish() throws {
        let unknown = values.keys.filter { !used.contains($0) }.sorted()
        if !unknown.isEmpty { throw error("unknown strategy option\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) for this strategy") }
    }
}
