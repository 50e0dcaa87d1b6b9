// `nasc experiment`: inspect a stored experiment — list trials, show one, top-k, export the best architectures.
import ArgumentParser
import Foundation
import NASCExperiment
import NASCIR
import NASCTool

extension ArchitectureFormat: ExpressibleByArgument {}

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Inspect an experiment directory written by `nasc run`.",
        subcommands: [List.self, Show.self, TopK.self, Export.self, ReportCommand.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every trial: status, metric, epochs, size, time, error.")
        @Argument(help: "The experiment directory.") var directory: String
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let store = try ExperimentStore.open(directory: directory, readOnly: true)
            print(json ? try ExperimentJSON.list(store) : try ExperimentReport.list(store), terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one trial (default: the best): result, metrics per epoch, overhead, architecture.")
        @Argument(help: "The experiment directory.") var directory: String
        @Argument(help: "The trial id (default: the best succeeded trial).") var trial: Int?
        @Flag(help: "Print JSON.") var json = false
        func run() throws {
            let store = try ExperimentStore.open(directory: directory, readOnly: true)
            let id = try trial ?? ExperimentJSON.bestTrialID(store)
            print(json ? try ExperimentJSON.show(store, trial: id) : try ExperimentReport.show(store, trial: id), terminator: "")
        }
    }

    struct TopK: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "top-k", abstract: "The best trials by final metric.")
        @Argument(help: "The experiment directory.") var directory: String
        @Option(name: .short, help: "How many.") var k = 5
        @Flag(help: "Print JSON.") var json = false
        func validate() throws { try checkFlag("-k", k, .positive) }
        func run() throws {
            let store = try ExperimentStore.open(directory: directory, readOnly: true)
            print(json ? try ExperimentJSON.top(store, k: k) : try ExperimentReport.top(store, k: k), terminator: "")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the best architectures as NNI JSON files (trial_<id>.<format>.json).")
        @Argument(help: "The experiment directory.") var directory: String
        @Option(name: .short, help: "How many of the best trials.") var k = 1
        @Option(name: .customLong("format"), help: "nni-v1, nni-v3 or tuner (repeatable; default nni-v1 and nni-v3).")
        var formats: [ArchitectureFormat] = []
        @Option(name: .shortAndLong, help: "Output directory (default DIR/export).") var output: String?
        func validate() throws { try checkFlag("-k", k, .positive) }
        func run() throws {
            let store = try ExperimentStore.open(directory: directory, readOnly: true)
            let paths = try ExperimentReport.export(store, k: k, formats: formats.isEmpty ? [.nniV1, .nniV3] : formats,
                                                    to: output ?? (directory + "/export"))
            if paths.isEmpty { print("no succeeded trials to export") }
            for p in paths { print(p) }
        }
    }
}
