// `nasc oneshot`: one-shot architecture search (DARTS or SPOS) over a supernet, exporting the best architecture.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct OneShot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oneshot",
        abstract: "One-shot search (alias of one-shot `nasc run`): train a supernet and export the best architecture as NNI JSON.",
        discussion: "Retrain the export with `nasc train SPACE --arch ARCH.json`. `nasc run --strategy S SPACE -o DIR --data D` also writes the per-epoch log."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(help: "darts, gumbel, spos or proxyless (enas when built in).")
    var strategy = "darts"

    @Option(name: .customLong("strategy-option"), help: "Strategy option KEY=VALUE (repeatable), e.g. unrolled=true.")
    var strategyOptions: [String] = []

    @Option(name: .shortAndLong, help: "Write the exported architecture (NNI JSON) here (default: standard output).")
    var output: String?

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        let (file, space) = try loadSpace(input)
        do {
            var options: [String: String] = [:]
            for o in strategyOptions {
                let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty else { throw ValidationError("--strategy-option expects KEY=VALUE, got '\(o)'") }
                options[kv[0]] = kv[1]
            }
            let json = try OneShotTool.search(space, strategy: strategy, options: flags.options, strategyOptions: options) { printError($0) }
            if let output { try OutputFile.write(Array(json.utf8), to: output) } else { print(json) }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
