// `nasc compare`: multi-trial strategies against a benchmark table, as mean test regret per budget with 95% intervals.
import ArgumentParser
import Foundation
import NASCIR
import NASCExperiment
import NASCTool

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare search strategies on a benchmark table: mean test regret per budget over seeds, with random search's exact expectation.",
        discussion: """
        nasc compare SPACE --benchmark table:PATH --strategies random,tpe,evolution,rl --budgets 10,20,50 --seeds 30 \
        runs every strategy for every budget with seeds 1..S (no processes: each trial is a table lookup) and prints the \
        mean regret (best test in the table minus the test of the pick) with a 95% t interval, and the difference to \
        random search's closed-form expected regret. Budget-aware defaults apply (TPE start-up, evolution population).
        """
    )

    @Argument(help: "The model space (.nas, .nir or protobuf).")
    var space: String

    @Option(help: "The benchmark: table:PATH (JSON lines) or synthetic:SEED.")
    var benchmark: String

    @Option(help: "Comma-separated strategies (random, grid, evolution, tpe, rl, zero-cost).")
    var strategies = "random,tpe,evolution,rl"

    @Option(help: "Comma-separated trial budgets.")
    var budgets = "10,20,50"

    @Option(help: "Seeds per strategy and budget (1..S).")
    var seeds = 30

    @Option(name: .customLong("strategy-option"), help: "STRATEGY.KEY=VALUE, e.g. tpe.n_startup_jobs=20 (repeatable).")
    var strategyOptions: [String] = []

    @Option(name: .customLong("early-stop"), help: "Simulate early stopping on the table's curves: median or asha.")
    var earlyStop: String?

    @Option(name: .customLong("early-stop-option"), help: "Early-stopping option KEY=VALUE (repeatable), as for nasc run.")
    var earlyStopOptions: [String] = []

    @Option(help: "Data set of the zero-cost proxies (strategy zero-cost, or tpe/evolution with warmup=PROXY).")
    var data = "digits"

    @Flag(help: "Print JSON.")
    var json = false

    var strategyList: [String] { strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    var budgetList: [Int] { budgets.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        try checkFlag("--seeds", seeds, .between(1, 10_000))
        let parts = budgets.split(separator: ",", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ Int($0.trimmingCharacters(in: .whitespaces)).map { $0 >= 1 && $0 <= 1_000_000 } ?? false }) else {
            throw ValidationError("--budgets: error: expects comma-separated positive integers, got '\(budgets)'")
        }
        guard !strategyList.isEmpty, strategyList.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--strategies: error: expects comma-separated strategy names, got '\(strategies)'")
        }
        _ = try options()
        if !earlyStopOptions.isEmpty && earlyStop == nil { throw ValidationError("--early-stop-option needs --early-stop median or asha") }
        _ = try earlySpec()
    }

    func earlySpec() throws -> EarlyStopSpec? {
        guard let earlyStop else { return nil }
        var options: [String: String] = [:]
        for o in earlyStopOptions {
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--early-stop-option: error: expects KEY=VALUE, got '\(o)'") }
            options[kv[0]] = kv[1]
        }
        return EarlyStopSpec(name: earlyStop, options: options)
    }

    func options() throws -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for o in strategyOptions {
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            let sk = kv.first?.split(separator: ".", maxSplits: 1).map(String.init) ?? []
            guard kv.count == 2, sk.count == 2, !sk[0].isEmpty, !sk[1].isEmpty else {
                throw ValidationError("--strategy-option: error: expects STRATEGY.KEY=VALUE, got '\(o)'")
            }
            out[sk[0], default: [:]][sk[1]] = kv[1]
        }
        return out
    }

    func run() throws {
        let (file, model) = try loadSpace(space)
        var settings = CompareTool.Settings(benchmark: benchmark, strategies: strategyList, budgets: budgetList, seeds: seeds,
                                            options: try options())
        settings.earlyStop = try earlySpec()
        settings.data = data
        do {
            let (comparison, rows) = try CompareTool.compare(model, settings)
            print(json ? try CompareTool.json(comparison, rows, settings: settings) : CompareTool.text(comparison, rows, settings: settings),
                  terminator: "")
        } catch let error as DiagnosticError {
            printError(error.diagnostics.allSatisfy { $0.location.file == file.path } ? file.render(error) : error.description)
            throw ReportedFailure()
        }
    }
}
