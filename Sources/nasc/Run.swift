// `nasc run`: a multi-trial experiment — strategy, concurrent trial processes, limits, resume, live progress.
import ArgumentParser
import Foundation
import NASCExperiment
import NASCIR
import NASCTool

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search a space with a strategy: one `nasc trial` process per architecture, or one-shot (a supernet).",
        discussion: """
        nasc run [--strategy S] SPACE DIR (or -o DIR) starts an experiment stored in DIR/experiment.sqlite; \
        one-shot strategies (darts, gumbel, enas, spos, proxyless, cdarts, pdarts) train one supernet on --data and write DIR/settings.json \
        (the effective settings: --train-epochs, --batch-size, --lr and --weight-decay where given, else the strategy's \
        defaults), DIR/oneshot.jsonl (per epoch) and DIR/best_architecture.json (NNI); \
        nasc run --resume DIR continues one after an interruption (finished trials are kept, unfinished ones retried; \
        a one-shot run continues from the checkpoint of its last epoch). \
        Only --concurrency, --max-trials and --max-duration may change on resume.
        """
    )

    // Two optional positionals (not one array), so a mistyped flag is reported as unknown with a suggestion.
    @Argument(help: "The model space (.nas, .nir or protobuf).")
    var space: String?

    @Argument(help: "The experiment directory (or -o DIR).")
    var directory: String?

    /// SPACE and DIR as given.
    var paths: [String] { [space, directory].compactMap { $0 } }

    @Option(name: .shortAndLong, help: "The experiment directory (instead of the second argument).")
    var output: String?

    @Option(help: "Continue the experiment in this directory.")
    var resume: String?

    @Option(help: "Search strategy: random, grid, evolution, tpe, rl (multi-trial; default: \(Run.defaultStrategy)) or darts, gumbel, enas, spos, proxyless, cdarts, pdarts (one-shot).")
    var strategy: String?

    /// The strategy when --strategy is not given: TPE guides the search after 20 random startup trials (evolution
    /// only after its population of 100), so it is the one that learns within a budget of tens of trials.
    static let defaultStrategy = "tpe"

    @Option(name: .customLong("strategy-option"), help: "Strategy option KEY=VALUE (repeatable).")
    var strategyOptions: [String] = []

    @Option(help: "Seed of the strategy.")
    var seed: UInt64?

    @Option(help: "Trial processes running at once.")
    var concurrency: Int?

    @Option(name: .customLong("max-trials"), help: "Stop after this many trials.")
    var maxTrials: Int?

    @Option(name: .customLong("max-duration"), help: "Stop after this long (e.g. 90s, 10m, 2h), killing running trials.")
    var maxDuration: String?

    @Option(name: .customLong("trial-timeout"),
            help: "Kill and fail a trial still running after this long (e.g. 90s, 10m, 2h; none = no limit; default 6h).")
    var trialTimeout: String?

    @Option(name: .customLong("stall-timeout"),
            help: "Kill and fail a trial that sends no message (start-up, epoch, result) for this long (none = no limit; default 30m).")
    var stallTimeout: String?

    @Option(name: .customLong("max-params"), help: "Reject architectures with more parameters, before evaluating them.")
    var maxParams: Int?

    @Option(name: .customLong("max-flops"), help: "Reject architectures needing more FLOPs per sample, before evaluating them.")
    var maxFlops: Int?

    @Option(name: .customLong("early-stop"), help: "Stop unpromising trials early: median (median stopping rule) or asha (asynchronous successive halving).")
    var earlyStop: String?

    @Option(name: .customLong("early-stop-option"), help: "Early-stopping option KEY=VALUE (repeatable): median start_step; asha grace, reduction_factor, max_epochs.")
    var earlyStopOptions: [String] = []

    @Flag(name: .customLong("live"), inversion: .prefixedNo, help: "Refreshing trial table (default: when stdout is a terminal).")
    var live: Bool?

    @OptionGroup var evaluator: EvaluatorOptions

    @Flag(name: .customLong("keep-weights"), help: "Keep each training trial's weights (DIR/weights/trial_<id>.pb) for nasc experiment export --format onnx|pytorch.")
    var keepWeights = false

    @OptionGroup var engineOptions: EngineOptions

    func validate() throws {
        try checkFlag("--concurrency", concurrency, .between(1, 256))
        try checkFlag("--max-trials", maxTrials, .positive)
        try checkFlag("--max-params", maxParams, .positive)
        try checkFlag("--max-flops", maxFlops, .positive)
        _ = try evaluator.trainingEpochs   // --epochs and --train-epochs must agree
        if let d = maxDuration, DurationParser.seconds(d) == nil {
            throw ValidationError("--max-duration: error: expects a positive duration such as 90, 30s, 10m or 2h, got '\(d)'")
        }
        if keepWeights {
            if resume != nil { throw ValidationError("--keep-weights is stored with the experiment; --resume keeps what it started with") }
            if evaluator.data == nil || strategy.map(OneShotTool.isOneShot) == true {
                throw ValidationError("--keep-weights needs multi-trial training trials (--data and a multi-trial strategy)")
            }
        }
        for (flag, value) in [("--trial-timeout", trialTimeout), ("--stall-timeout", stallTimeout)] {
            if let value, Run.timeout(value) == nil {
                throw ValidationError("\(flag) expects a positive duration such as 90s, 10m or 2h, or none, got '\(value)'")
            }
        }
        if let r = resume {
            if !paths.isEmpty || output != nil { throw ValidationError("--resume \(r) takes no SPACE, DIR or -o") }
            let evaluatorFlags = try evaluator.settings().arguments
            if strategy != nil || seed != nil || !strategyOptions.isEmpty || maxParams != nil || maxFlops != nil
                || earlyStop != nil || !earlyStopOptions.isEmpty
                || !evaluatorFlags.isEmpty || !engineOptions.isEmpty {
                throw ValidationError("--resume continues with the stored strategy, budget and evaluator; only --concurrency, --max-trials, --max-duration, --trial-timeout and --stall-timeout may change")
            }
        } else {
            let strategy = self.strategy ?? Run.defaultStrategy
            try engineOptions.validate(strategy: strategy, evaluatorFlags: try evaluator.settings().arguments)
            if OneShotTool.isOneShot(strategy) && !engineOptions.isEmpty {
                throw ValidationError("one-shot strategy \(strategy) trains one supernet in this process: --trial-command, --engine and --ray-address do not apply")
            }
            if !earlyStopOptions.isEmpty && earlyStop == nil {
                throw ValidationError("--early-stop-option needs --early-stop median or asha")
            }
            if OneShotTool.isOneShot(strategy) && earlyStop != nil {
                throw ValidationError("one-shot strategy \(strategy) trains one supernet: --early-stop applies to multi-trial searches")
            }
            if OneShotTool.isOneShot(strategy) {
                guard evaluator.data != nil else { throw ValidationError("one-shot strategy \(strategy) trains a supernet: give --data") }
                if evaluator.benchmark != nil || maxParams != nil || maxFlops != nil || maxTrials != nil || maxDuration != nil {
                    throw ValidationError("one-shot strategy \(strategy) takes no --benchmark, --max-params, --max-flops, --max-trials or --max-duration")
                }
                if evaluator.optimizer != nil || evaluator.schedule != nil || evaluator.cropPadding != 0 || evaluator.task != "classification"
                    || evaluator.momentum != nil || evaluator.nesterov || evaluator.labelSmoothing != nil || evaluator.clipGradNorm != nil
                    || evaluator.scheduleStep != nil {
                    throw ValidationError("one-shot strategy \(strategy) trains with SGD on classification: --optimizer, --schedule, --crop-padding, --task, --momentum, --nesterov, --label-smoothing, --clip-grad-norm and --schedule-step do not apply (see --strategy-option schedule=cosine|constant)")
                }
            }
            let expected = output == nil ? 2 : 1
            guard paths.count == expected else {
                throw ValidationError(output == nil ? "expected SPACE and DIR (or SPACE -o DIR)" : "expected SPACE (the directory is given by -o)")
            }
        }
    }

    func run() throws {
        // `nasc run ... | head`: a closed standard output stops the run as SIGTERM does (resumable), never kills it.
        StandardOutput.ignoreBrokenPipe()
        if resume == nil, let strategy, OneShotTool.isOneShot(strategy) { return try runOneShot(strategy) }
        if let dir = resume, OneShotExperiment.isOneShot(directory: dir) { return try resumeOneShot(dir) }
        // From here on SIGINT, SIGTERM, SIGHUP and SIGQUIT stop the trials first, then end the run (128 + signal).
        StopRequest.installSignalHandlers()
        // Before the store: a limit too low for nasc itself is one line, never Foundation's abort at the first spawn.
        do { try DescriptorBudget.prepare() } catch let e as DescriptorBudget.LimitTooLow {
            printError("nasc run: error: \(e.description)")
            throw ReportedFailure()
        }
        let limits = LimitOverrides(concurrency: concurrency, maxTrials: maxTrials, maxDuration: maxDuration.flatMap(DurationParser.seconds),
                                    trialTimeout: trialTimeout.flatMap(Run.timeout), stallTimeout: stallTimeout.flatMap(Run.timeout))
        let runner: ExperimentRunner
        if let dir = resume {
            runner = try ExperimentTool.resume(directory: dir)
        } else {
            var options: [String: String] = [:]
            for o in strategyOptions {
                let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--strategy-option expects KEY=VALUE, got '\(o)'") }
                options[kv[0]] = kv[1]
            }
            if let c = engineOptions.strategyCommand { options["command"] = c }
            var settings = try evaluator.settings()
            if keepWeights { settings.training?.weightsDirectory = KeptWeights.directory(experiment: output ?? paths[1]) }
            var config = ExperimentConfig(
                spacePath: paths[0], spaceHash: "", strategy: strategy ?? Run.defaultStrategy, strategyOptions: options, seed: seed ?? 0,
                concurrency: limits.concurrency ?? 1, maxTrials: limits.maxTrials, maxDuration: limits.maxDuration,
                maxParams: maxParams, maxFlops: maxFlops, evaluatorArguments: settings.arguments,
                trialTimeout: limits.trialTimeout ?? ExperimentConfig.defaultTrialTimeout,
                stallTimeout: limits.stallTimeout ?? ExperimentConfig.defaultStallTimeout)
            config.engine = engineOptions.config()
            if let rule = earlyStop {
                var options: [String: String] = [:]
                for o in earlyStopOptions {
                    let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--early-stop-option expects KEY=VALUE, got '\(o)'") }
                    options[kv[0]] = kv[1]
                }
                config.earlyStop = EarlyStopSpec(name: rule, options: options)
            }
            let file = try InputFile(path: paths[0])
            do {
                runner = try ExperimentTool.create(spaceFile: file, directory: output ?? paths[1], config: config, evaluator: settings)
            } catch let e as DiagnosticError {
                // Source context only for problems in the space file itself.
                printError(e.diagnostics.allSatisfy { $0.location.file == file.path } ? file.render(e) : e.description)
                throw ReportedFailure()
            }
        }
        let display = ProgressDisplay(live: live ?? ProgressDisplay.stdoutIsTerminal) { text in
            StandardOutput.write(text)
        }
        StandardOutput.onClose { [stop = runner.stopRequest] in stop.request(signal: SIGPIPE) }
        display.describeTrial = ExperimentTool.architectureSummary(runner.store)
        // TensorBoard logs in DIR/tensorboard, written as trials report.
        let board = try ExperimentBoard(store: runner.store, forwardingTo: display)
        runner.observer = board   // weak: `board` keeps it alive until the run ends
        if resume != nil, let note = ExperimentTool.spaceChangeNote(runner.store) { display.note(note) }
        if resume == nil, let note = ExperimentTool.budgetNote(runner.store) { display.note(note) }
        let summary = try runner.run(limits, resuming: resume != nil)
        withExtendedLifetime(board) { display.finish() }
        print(ExperimentTool.summary(summary), terminator: "")
        let directory = resume ?? output ?? paths[1]
        if summary.interruptedBy == SIGPIPE {
            printError("nasc run: standard output was closed; \(summary.unfinished) unfinished trials are retried by `nasc run --resume \(directory)`")
            throw ReportedFailure(code: 128 + SIGPIPE)
        }
        if let signal = summary.interruptedBy {
            printError("nasc run: interrupted by signal \(signal); \(summary.unfinished) unfinished trials are retried by `nasc run --resume \(directory)`")
            throw ReportedFailure(code: 128 + signal)
        }
        if summary.endReason == "infrastructure-error" {
            printError("\(directory): error: \(summary.infrastructureErrors) trial starts failed (last: \(summary.lastInfrastructureError ?? "unknown")); "
                       + "\(summary.unfinished) unfinished trials are retried by `nasc run --resume \(directory)`")
            throw ReportedFailure()
        }
        if let failure = try ExperimentTool.engineFailure(summary, runner.store) {
            printError(failure)
            throw ReportedFailure()
        }
        if let failure = ExperimentTool.noSuccess(summary, directory: directory) {
            printError(failure)
            throw ReportedFailure()
        }
    }

    /// A `--trial-timeout` or `--stall-timeout` value: seconds, or `.some(nil)` for `none`; `nil` if malformed.
    static func timeout(_ text: String) -> Double?? {
        if text == "none" || text == "0" { return .some(nil) }
        return DurationParser.seconds(text).map { .some($0) }
    }
}
