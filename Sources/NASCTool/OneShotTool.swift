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
        + ["cdarts"] + ["pdarts"]

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
        try SupernetCompiler.compile(space, mode: try Self.mode(mode), training: training, options: try options.planOptions(),
                                     memoryPlan: MemoryPlan(), timer: timer)
    }

    /// What a one-shot search produced.
    public struct Outcome: Sendable {
        /// The exported architecture as NNI 3.0 JSON (`nasc train --arch` reads it).
        public var architectureJSON: String
        /// One entry per epoch (the supernet training epochs).
        public var epochs: [OneShotEpochLog]
        /// Files written to the experiment directory.
        public var files: [String]
        /// The validation accuracy of every epoch (restored ones included).
        public var validAccuracy: [Double] = []
        /// The run's metric: the exported subnet's validation accuracy (SPOS, ENAS) or the last epoch's.
        public var metric: Double = 0
    }

    /// Runs a one-shot search (`darts`, `gumbel`, `enas`, `spos`, `proxyless`) on the options' data set with every
    /// weight-training setting taken from `options`; `log` gets one line per epoch and stage. Returns the exported
    /// architecture as NNI JSON (the form `nasc train --arch` reads).
    public static func search(_ space: ModelSpace, strategy: String, options: TrainOptions, strategyOptions: [String: String] = [:],
                              log: (String) -> Void) throws -> String {
        try run(space, strategy: strategy, options: options, weights: .all(from: options), strategyOptions: strategyOptions,
                directory: nil, log: log).architectureJSON
    }

    /// Runs a one-shot search and, with a `directory`, writes `DIR/oneshot.jsonl` (one JSON line per epoch: losses,
    /// accuracies, every choice's probabilities, strategy figures; SPOS adds one line per evolution generation),
    /// `DIR/settings.json` (the effective settings) and the export `DIR/best_architecture.json` (NNI 3.0) and
    /// `DIR/best_architecture.nni-v1.json` (NNI 1.x). From `options` it takes the data set, threads and seed; the
    /// weight-training settings come from `weights` where given and are otherwise the strategy's defaults. The first
    /// line logged is the effective settings (``OneShotEffectiveSettings/line``).
    /// `batchProgress`, when given, receives the supernet training's progress after every batch (a terminal bar).
    /// With a `directory`, the search's state is saved after every epoch (``OneShotExperiment``); `resume` continues
    /// from the saved state, rewriting `oneshot.jsonl` to the epochs it holds. `willStart` runs once the options are
    /// checked, before anything is written (`nasc run` creates the store there).
    public static func run(_ space: ModelSpace, strategy: String, options: TrainOptions, weights: OneShotWeightOverrides = OneShotWeightOverrides(),
                           strategyOptions: [String: String], directory: String?, resume: Bool = false, willStart: () throws -> Void = {},
                           batchProgress: ((TrainingProgress) -> Void)? = nil, log: (String) -> Void) throws -> Outcome {
        let meter = batchProgress.map(OneShotProgress.init)
        guard isOneShot(strategy) else {
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected \(strategies.joined(separator: ", ")))",
                                                   at: SourceLocation(file: "--strategy")))
        }
        var opts = OneShotOptions(strategyOptions)
        let searchSpace = try SearchSpace(space)
        var epochs: [OneShotEpochLog] = []
        // The log lines and validation accuracies of every epoch, restored ones included.
        var lines: [String] = [], accuracies: [Double] = []
        let restored = try resume ? directory.flatMap(OneShotExperiment.loadCheckpoint) : nil
        if let restored { lines = restored.log; accuracies = restored.validAccuracy }
        var extraLines: [String] = []
        var settings: OneShotEffectiveSettings?
        // Written as the search goes: the epoch log (one JSON line per epoch) and the TensorBoard log.
        var liveLog: FileHandle?
        var board: OneShotBoard?
        /// Prints the effective settings once the configuration is complete.
        func announce<C: OneShotTrainingSettings>(_ c: C, given: Set<String>) {
            let s = OneShotEffectiveSettings(strategy: strategy, values: c.effectiveSettings, given: given.union(opts.used.intersection(opts.values.keys.map { $0 })))
            settings = s
            log(s.line)
        }
        func epochLog(_ e: OneShotEpochLog) { epochLog(e, summary: e.summary) }
        func epochLog(_ e: OneShotEpochLog, summary: String) {
            epochs.append(e)
            lines.append(e.jsonLine); accuracies.append(e.validAccuracy)
            liveLog?.write(Data((e.jsonLine + "\n").utf8))
            if let b = board {
                do { try b.write(e) } catch {
                    board = nil
                    log("tensorboard: \(error) (no more TensorBoard events are written; the search goes on)")
                }
            }
            log(summary)
            // Each choice's candidates by name: `conv1: conv3x3 0.333, conv5x5 0.334, conv1x1 0.334`.
            for (label, p) in e.probabilities.sorted(by: { $0.key < $1.key }) {
                let names = searchSpace.decision(label).map(DecisionNames.candidates) ?? []
                log("  \(label): " + p.enumerated().map { k, v in (k < names.count ? names[k] + " " : "") + String(format: "%.3f", v) }
                    .joined(separator: ", "))
            }
        }
        func prepare() throws -> (train: Dataset, validation: Dataset?) {
            try opts.finish()
            try willStart()
            if let directory {
                try makeDirectory(directory)
                if let settings { try OutputFile.write(settings.json, to: join(directory, "settings.json")) }
                let logPath = join(directory, "oneshot.jsonl")
                try OutputFile.write(lines.map { $0 + "\n" }.joined(), to: logPath)
                liveLog = FileHandle(forWritingAtPath: logPath)
                liveLog?.seekToEndOfFile()
                board = try OneShotBoard(directory: directory, space: searchSpace, resumedEpochs: resume ? lines.count : nil)
                // The space itself, so `nasc experiment report` can draw the supernet.
                try OutputFile.write(try ProtoIO.encode(space), to: join(directory, "space.pb"))
            }
            let data = try ArchitectureTraining.loadData(options)
            try data.train.checkFits(space)
            return (data.train, data.validation)
        }
        /// Restores a resumed search and saves its state after every epoch.
        func attach(_ search: OneShotResumable) throws {
            guard let directory else { return }
            if let restored {
                try search.restore(restored.state)
                log("resumed after epoch \(restored.state.epochsDone - 1) from \(OneShotExperiment.checkpointPath(directory))")
            }
            search.epochEnded = { [unowned search] _ in
                try OneShotExperiment.saveCheckpoint(.init(state: try search.saveState(), log: lines, validAccuracy: accuracies), directory)
            }
        }
        var metric: Double?
        let arch: Architecture
        var extraFiles: [String] = []
        switch strategy {
        case "darts", "gumbel":
            let (c0, given) = try configured(DartsConfig(), options, weights, &opts)
            var c = c0
            try opts.apply(OneShotOptionTable.darts + (strategy == "gumbel" ? OneShotOptionTable.gumbel : []), to: &c)
            guard c.temperatureMin > 0, c.temperatureMin <= c.temperatureInit else {
                throw opts.error("the Gumbel temperature must satisfy 0 < temperature_min <= temperature_init")
            }
            announce(c, given: given)
            let data = try prepare()
            // As in DARTS: half of the training split trains the weights, the other half the architecture.
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            let darts = try DartsSearch(space: space, config: c, mode: strategy == "gumbel" ? .gumbel : .darts)
            darts.progress = meter
            try attach(darts)
            arch = try darts.run(train: halves.train, valid: halves.validation, log: epochLog)
            if darts.epochsRun < c.epochs { log("early stop after epoch \(darts.epochsRun - 1): \(c.earlyStopSkips) or more choices prefer a skip connection") }
        case "pdarts":
            let (c0, given) = try configured(PDartsConfig(), options, weights, &opts)
            var c = c0
            try readPDarts(&c, &opts)
            let search = try PDartsSearch(space: space, config: c)
            announce(search.effectiveConfig, given: given)
            let data = try prepare()
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            search.progress = meter
            try attach(search)
            arch = try search.run(train: halves.train, valid: halves.validation, log: epochLog)
            log("export: \(search.skipsReplaced) skip connection(s) replaced to keep at most \(c.maxSkips)")
        case "cdarts":
            let (c0, given) = try configured(CDARTSConfig(), options, weights, &opts)
            var c = c0
            try opts.apply(OneShotOptionTable.cdarts, to: &c)
            let cdarts = try CDARTSSearch(space: space, config: c)
            guard c.lossAlpha > 0, c.temperature > 0 else { throw opts.error("cdarts needs loss_alpha > 0 and temperature > 0") }
            guard c.warmupEpochs < c.epochs else {
                throw opts.error("cdarts needs warmup_epochs (\(c.warmupEpochs)) below the epochs (\(c.epochs)), or no cycle runs")
            }
            announce(c, given: given)
            let data = try prepare()
            // As DARTS: half of the training split trains the weights, the other half the architecture.
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            cdarts.progress = meter
            try attach(cdarts)
            arch = try cdarts.run(train: halves.train, valid: halves.validation, log: epochLog)
        case "proxyless":
            let (c0, given) = try configured(ProxylessConfig(), options, weights, &opts)
            var c = c0
            if let p = opts.string("paths") {
                switch p {
                case "2": c.paths = 2
                case "all": c.paths = 0
                default: throw opts.error("paths must be 2 or all, got '\(p)'")
                }
            }
            try opts.apply(OneShotOptionTable.proxyless, to: &c)
            if let k = try opts.int("paths_per_batch") {
                guard k >= 1 else { throw opts.error("paths_per_batch must be at least 1, got \(k)") }
                c.pathsPerBatch = k
            }
            let latencySource = try ProxylessLatencyOptions.configure(&c, &opts)
            announce(c, given: given)
            let data = try prepare()
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            let search = try ProxylessSearch(space: space, config: c)
            search.progress = meter
            try attach(search)
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
            let (c0, given) = try configured(SPOSConfig(), options, weights, &opts)
            var c = c0
            try opts.apply(OneShotOptionTable.spos, to: &c)
            try sampledTraining(&c.cosineSchedule, &c.minLR, &c.gradClipNorm, &opts)
            announce(c, given: given)
            let data = try prepare()
            let spos = try SPOSSearch(space: space, config: c)
            spos.progress = meter
            try attach(spos)
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
            let (best, acc) = try spos.search(calibration: data.train, valid: valid) { g in
                extraLines.append(g.jsonLine)
                log(g.summary)
            }
            log("evolution: \(spos.evaluated.count) subnets evaluated, best validation accuracy \(acc)")
            arch = best
            metric = acc
        case "enas":
            let (c0, given) = try configured(ENASConfig(), options, weights, &opts)
            var c = c0
            try opts.apply(OneShotOptionTable.enas, to: &c)
            if let r = opts.string("reward_bn") {
                switch r {
                case "batch": c.rewardBatchStatistics = true
                case "running": c.rewardBatchStatistics = false
                default: throw opts.error("reward_bn must be batch or running, got '\(r)'")
                }
            }
            try sampledTraining(&c.cosineSchedule, &c.minLR, &c.gradClipNorm, &opts)
            announce(c, given: given)
            let data = try prepare()
            let enas = try ENASSearch(space: space, config: c)
            enas.progress = meter
            try attach(enas)
            let (best, acc) = try enas.run(train: data.train, valid: data.validation ?? data.train) { e in
                var o = e.oneShot
                o.extra["reward"] = e.meanReward
                o.extra["baseline"] = e.baseline
                o.extra["controller_updates"] = Double(e.controllerUpdates)
                epochLog(o, summary: e.summary)
            }
            log("export: best of the controller's argmax and \(c.exportSamples) samples, validation accuracy \(acc)")
            arch = best
            metric = acc
        default:
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected \(strategies.joined(separator: ", ")))",
                                                   at: SourceLocation(file: "--strategy")))
        }
        let json = try ArchitectureJSON.write(arch, space: searchSpace)
        var files: [String] = []
        if let directory {
            let logPath = join(directory, "oneshot.jsonl"), v3 = join(directory, "best_architecture.json")
            let v1 = join(directory, "best_architecture.nni-v1.json")
            try OutputFile.write((lines + extraLines).map { $0 + "\n" }.joined(), to: logPath)
            try OutputFile.write(json, to: v3)
            try OutputFile.write(try ArchitectureJSON.write(arch, space: searchSpace, format: .nniV1), to: v1)
            files = [logPath, v3, v1, join(directory, "settings.json")] + extraFiles + (board.map { [$0.path] } ?? [])
        }
        return Outcome(architectureJSON: json, epochs: epochs, files: files, validAccuracy: accuracies,
                       metric: metric ?? accuracies.last ?? 0)
    }

    /// `config` with the given weight-training settings (the others stay the strategy's defaults), the options' seed
    /// and the `max_batches` strategy option; also returns the names of the settings that were given.
    static func configured<C: OneShotTrainingSettings>(_ config: C, _ options: TrainOptions, _ weights: OneShotWeightOverrides,
                                                       _ opts: inout OneShotOptions) throws -> (C, Set<String>) {
        var c = config
        let given = weights.apply(to: &c)
        c.seed = options.seed
        c.maxBatchesPerEpoch = try opts.int("max_batches") ?? 0
        guard c.epochs >= 0, c.batchSize >= 1, c.weightLearningRate >= 0, c.weightLearningRate.isFinite else {
            throw DiagnosticError(.error("one-shot training needs epochs >= 0, a batch size >= 1 and a finite learning rate >= 0",
                                         at: SourceLocation(file: "--lr")))
        }
        return (c, given)
    }

    /// The `schedule=cosine|constant`, `min_lr` and `grad_clip` (0 = none) options of the sampled strategies.
    static func sampledTraining(_ cosine: inout Bool, _ minLR: inout Double, _ clip: inout Double?, _ opts: inout OneShotOptions) throws {
        if let s = opts.string("schedule") {
            switch s {
            case "cosine": cosine = true
            case "constant": cosine = false
            default: throw opts.error("schedule must be cosine or constant, got '\(s)'")
            }
        }
        minLR = try opts.double("min_lr") ?? minLR
        if let g = try opts.double("grad_clip") { clip = g > 0 ? g : nil }
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
