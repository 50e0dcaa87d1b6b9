// `nasc run` with a one-shot strategy: the supernet trains in this process; the directory is an experiment (its
// store records the run, a checkpoint after every epoch lets `nasc run --resume DIR` continue it).
import ArgumentParser
import Foundation
import NASCExperiment
import NASCIR
import NASCTool

extension Run {
    /// A new one-shot search: creates the store in DIR, then searches.
    func runOneShot(_ strategy: String) throws {
        var options: [String: String] = [:]
        for o in strategyOptions {
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--strategy-option expects KEY=VALUE, got '\(o)'") }
            options[kv[0]] = kv[1]
        }
        // The training flags as given (the strategy's defaults fill the rest); --resume parses them again.
        var flags = ["--data", evaluator.data ?? "digits", "--threads", "\(evaluator.threads)"]
        if let e = try evaluator.trainingEpochs { flags += ["--train-epochs", "\(e)"] }
        if let b = evaluator.batchSize { flags += ["--batch-size", "\(b)"] }
        if let lr = evaluator.lr { flags += ["--lr", "\(lr)"] }
        if let wd = evaluator.weightDecay { flags += ["--weight-decay", "\(wd)"] }
        if let v = evaluator.validation { flags += ["--validation", "\(v)"] }
        let directory = output ?? paths[1]
        let (file, space) = try loadSpace(paths[0])
        // The store is created once the options are checked, so a mistyped option leaves nothing behind.
        try searchOneShot(space: space, file: file, directory: directory, resuming: false,
                          config: ExperimentConfig(spacePath: file.path, spaceHash: "", strategy: strategy, strategyOptions: options,
                                                   seed: seed ?? evaluator.trainSeed, maxTrials: 1, evaluatorArguments: flags)) {
            try OneShotExperiment.create(directory: directory, spaceFile: file, strategy: strategy, strategyOptions: options,
                                         seed: seed ?? evaluator.trainSeed, flags: flags)
        }
    }

    /// Continues the one-shot search stored in `directory`.
    func resumeOneShot(_ directory: String) throws {
        let (store, config, space): (ExperimentStore, ExperimentConfig, ModelSpace)
        do { (store, config, space) = try OneShotExperiment.open(directory: directory) } catch let error as DiagnosticError {
            printError(error.description)
            throw ReportedFailure()
        }
        if try store.state().status == "finished" {
            print("this one-shot run already finished; its export is \(directory)/best_architecture.json")
            return
        }
        try store.beginSession(LimitOverrides())
        var run = self
        run.evaluator = try EvaluatorOptions.parse(config.evaluatorArguments)
        run.strategy = config.strategy
        run.seed = config.seed
        try run.searchOneShot(space: space, file: nil, directory: directory, resuming: true, config: config) { store }
    }

    /// Runs the search with this command's settings; `openStore` gives the store once the options are checked, and
    /// the run's end is recorded in it.
    func searchOneShot(space: ModelSpace, file: InputFile?, directory: String, resuming: Bool, config: ExperimentConfig,
                       openStore: () throws -> ExperimentStore) throws {
        var train = TrainOptions()
        train.data = evaluator.data ?? "digits"
        train.seed = config.seed; train.threads = evaluator.threads
        if let v = evaluator.validation { train.validationFraction = v }
        // Only the flags given override the strategy's defaults (DARTS's weight lr is 0.025, not --lr's 0.05).
        let weights = OneShotWeightOverrides(epochs: try evaluator.trainingEpochs, batchSize: evaluator.batchSize,
                                             learningRate: evaluator.lr, weightDecay: evaluator.weightDecay)
        var opened: ExperimentStore?
        var clock: SessionClock?
        do {
            // On a terminal: a per-batch bar on stderr (images/s, epoch k/K, ETA); otherwise the epoch lines only.
            let bar = ProgressPrinter()
            let outcome = try OneShotTool.run(ExperimentTool.dropInferredTypes(space), strategy: config.strategy, options: train, weights: weights,
                                              strategyOptions: config.strategyOptions, directory: directory, resume: resuming,
                                              willStart: {
                                                  let store = try openStore()
                                                  opened = store
                                                  // Recorded every second, so a killed session keeps its time.
                                                  clock = try SessionClock(store: store)
                                                  InterruptNote.install("interrupted; continue with: nasc run --resume \(directory)")
                                                  StandardOutput.onClose { InterruptNote.interrupt(SIGPIPE) }
                                              },
                                              batchProgress: bar.isTerminal ? { bar.handle(.batch($0)) } : nil) { line in
                if bar.isTerminal { bar.clearLine() }
                ExperimentTool.writeLine(line)   // unbuffered: each epoch shows (and is kept) as it happens
            }
            guard let store = opened, let clock else { return }
            try OneShotExperiment.finish(store, outcome: outcome, space: space, elapsed: clock.stop())
            for f in outcome.files { print("wrote \(f)") }
            print(outcome.architectureJSON)
        } catch let error as DiagnosticError {
            clock?.stop()
            if !resuming, opened != nil { OneShotExperiment.discardIfNotStarted(directory) }
            if let file, error.diagnostics.allSatisfy({ $0.location.file == file.path }) { printError(file.render(error)) } else { printError(error.description) }
            throw ReportedFailure()
        }
    }
}
