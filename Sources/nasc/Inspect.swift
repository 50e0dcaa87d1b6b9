// `nasc inspect`: graphs, op counts, every decision, the space size and parameter/FLOP ranges; `--proxies`: zero-cost
// proxies per architecture.
import ArgumentParser
import NASCIR
import NASCTool

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize a model space: graphs, ops, decisions, space size, parameter and FLOP ranges."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(help: "Cost every architecture when the space has at most this many; sample otherwise.")
    var exhaustiveLimit = 4096

    @Option(help: "Architectures sampled for cost ranges of larger spaces (and with --proxies, how many to score; default: every architecture of a space within --exhaustive-limit, else 256).")
    var samples: Int?

    @Flag(help: "Print zero-cost proxies (synflow, naswot, grad_norm, snip, jacob_cov, params, flops) per architecture, from one mini-batch at initialization.")
    var proxies = false

    @Option(help: "With --proxies: which, comma-separated, or all. (default: all)")
    var proxyList = "all"

    @Option(help: "With --proxies: the data set the mini-batch comes from.")
    var data = "digits"

    @Option(help: "With --proxies: the mini-batch size.")
    var batchSize = 64

    @Flag(help: "With --proxies: one JSON object per architecture and line.")
    var json = false

    @Option(help: "Seed for sampling.")
    var seed: UInt64 = 0

    func validate() throws {
        try checkFlag("--exhaustive-limit", exhaustiveLimit, .nonNegative)
        if let samples { try checkFlag("--samples", samples, .positive) }
        try checkFlag("--batch-size", batchSize, .between(2, 4096))
        if !proxies {
            if json { throw ValidationError("--json: error: needs --proxies") }
        }
    }

    func run() throws {
        let (file, space) = try loadSpace(input)
        var inspector = Inspector()
        inspector.exhaustiveLimit = exhaustiveLimit
        inspector.samples = samples ?? 256
        inspector.seed = seed
        do {
            if proxies {
                let list = try ZeroCostProxy.list(proxyList, flag: "--proxy-list")
                let searchSpace = try SearchSpace(space)
                let archs = ProxyTable.architectures(searchSpace, samples: samples, limit: exhaustiveLimit, seed: seed)
                let scorer = try ZeroCostScorer(data: data, batchSize: batchSize, seed: seed)
                let table = try ProxyTable.compute(space, archs, proxies: list, scorer: scorer)
                print(json ? try table.jsonLines(searchSpace) : try table.text(searchSpace), terminator: "")
                return
            }
            print(try inspector.report(space), terminator: "")
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
