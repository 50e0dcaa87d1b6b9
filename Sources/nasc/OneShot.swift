// `nasc oneshot`: one-shot architecture search (DARTS or SPOS) over a supernet, exporting the best architecture.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct OneShot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oneshot",
        abstract: "One-shot search: train a supernet (DARTS or SPOS) and export the best architecture as NNI JSON.",
        discussion: "Retrain the export with `nasc train SPACE --arch ARCH.json`."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(help: "darts (first-order, alternating arch/weight steps) or spos (uniform paths, then evolution).")
    var strategy = "darts"

    @Option(name: .shortAndLong, help: "Write the exported architecture (NNI JSON) here (default: standard output).")
    var output: String?

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        let (file, space) = try loadSpace(input)
        do {
            let json = try OneShotTool.search(space, strategy: strategy, options: flags.options) { printError($0) }
            if let output { try OutputFile.write(Array(json.utf8), to: output) } else { print(json) }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
