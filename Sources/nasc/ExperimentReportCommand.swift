// `nasc experiment report`: one self-contained HTML page (inline SVG, no network) about an experiment directory.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

extension ExperimentCommand {
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write an HTML report: metric per trial, epoch curves, accuracy vs size with the Pareto front, decision importance, supernet and best architecture.",
            discussion: "Works on multi-trial (`nasc run`) and one-shot (`nasc run --strategy darts ...`) directories. The page loads nothing from the network.")
        @Argument(help: "The experiment directory.") var directory: String
        @Option(name: .shortAndLong, help: "The HTML file to write.") var output: String
        func run() throws {
            try HTMLReport.write(directory: directory, to: output)
            print("wrote \(output)")
        }
    }
}
