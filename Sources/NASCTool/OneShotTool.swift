// OneShotTool: the library side of `nasc compile --supernet` and `nasc oneshot` (DARTS and SPOS one-shot search).
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime
import NASCStrategies

/// Supernet plans and one-shot searches for the CLI.
public enum OneShotTool {
    /// The supernet mode named on the command line; a located error for an unknown name.
    public static func mode(_ name: String) throws -> SupernetMode {
        guard let m = SupernetMode(rawValue: name) else {
            throw DiagnosticError(Diagnostic.error("unknown supernet mode '\(name)' (expected darts or sampled)",
                                                   at: SourceLocation(file: "--supernet")))
        }
        return m
    }

    /// The memory-planned supernet plan of `space` (weights trained with the options' optimizer).
    public static func plan(_ space: ModelSpace, mode: String, options: TrainOptions, training: Bool) throws -> Plan {
        try SupernetCompiler.compile(space, mode: try Self.mode(mode), training: training, options: options.planOptions,
                                     passes: [MemoryPlan()])
    }

    /// Runs a one-shot search (`darts` or `spos`) on the options' data set; `log` gets one line per epoch and
    /// stage. Returns the exported architecture as NNI JSON (the form `nasc train --arch` reads).
    public static func search(_ space: ModelSpace, strategy: String, options: TrainOptions, log: (String) -> Void) throws -> String {
        guard strategy == "darts" || strategy == "spos" || strategy == "enas" else {
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected darts, spos or enas)",
                                                   at: SourceLocation(file: "--strategy")))
        }
        let data = try ArchitectureTraining.loadData(options)
        let searchSpace = try SearchSpace(space)
        let arch: Architecture
        switch strategy {
        case "darts":
            // As in DARTS: half of the training split trains the weights, the other half the architecture.
            let halves = try data.train.split(validation: .fraction(0.5), seed: options.seed)
            var c = DartsConfig()
            c.epochs = options.epochs; c.batchSize = options.batchSize; c.weightLR = options.learningRate
            c.momentum = options.momentum; c.weightDecay = options.weightDecay; c.seed = options.seed
            let darts = try DartsSearch(space: space, config: c)
            arch = try darts.run(train: halves.train, valid: halves.validation) { e in
                log(e.summary)
                for (label, p) in e.probabilities.sorted(by: { $0.key < $1.key }) {
                    log("  \(label): " + p.map { String(Double(Int($0 * 1000)) / 1000) }.joined(separator: " "))
                }
            }
        case "spos":
            var c = SPOSConfig()
            c.epochs = options.epochs; c.batchSize = options.batchSize; c.lr = options.learningRate
            c.momentum = options.momentum; c.weightDecay = options.weightDecay; c.seed = options.seed
            let spos = try SPOSSearch(space: space, config: c)
            let valid = data.validation ?? data.train
            try spos.train(data.train, valid: valid) { log($0.summary) }
            let (best, acc) = try spos.search(calibration: data.train, valid: valid)
            log("evolution: \(spos.evaluated.count) subnets evaluated, best validation accuracy \(acc)")
            arch = best
        case "enas":
            var c = ENASConfig()
            c.epochs = options.epochs; c.batchSize = options.batchSize; c.lr = options.learningRate
            c.momentum = options.momentum; c.weightDecay = options.weightDecay; c.seed = options.seed
            let enas = try ENASSearch(space: space, config: c)
            let (best, acc) = try enas.run(train: data.train, valid: data.validation ?? data.train) { e in
                log(e.summary)
                for (label, p) in e.oneShot.probabilities.sorted(by: { $0.key < $1.key }) {
                    log("  \(label): " + p.map { String(Double(Int($0 * 1000)) / 1000) }.joined(separator: " "))
                }
            }
            log("export: best of the controller's argmax and \(c.exportSamples) samples, validation accuracy \(acc)")
            arch = best
        default:
            throw DiagnosticError(Diagnostic.error("unknown one-shot strategy '\(strategy)' (expected darts or spos)",
                                                   at: SourceLocation(file: "--strategy")))
        }
        return try ArchitectureJSON.write(arch, space: searchSpace)
    }
}
