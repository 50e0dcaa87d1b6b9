// `nasc inspect`: graphs, op counts, every decision, the space size and parameter/FLOP ranges.
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

    @Option(help: "Architectures sampled for cost ranges of larger spaces.")
    var samples = 256

    @Option(help: "Seed for sampling.")
    var seed: UInt64 = 0

    func validate() throws {
        try checkFlag("--exhaustive-limit", exhaustiveLimit, .nonNegative)
        try checkFlag("--samples", samples, .positive)
    }

    func run() throws {
        let (file, space) = try loadSpace(input)
        var inspector = Inspector()
        inspector.exhaustiveLimit = exhaustiveLimit
        inspector.samples = samples
        inspector.seed = seed
        do {
            print(try inspector.report(space), terminator: "")
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
