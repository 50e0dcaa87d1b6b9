// `nasc passes`: list every registered pass and named pipeline with its summary.
import Foundation
import ArgumentParser
import NASCPasses

struct Passes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the passes and named pipelines.")

    func run() throws {
        let width = (PassRegistry.all.map(\.name.count) + Pipelines.all.map(\.name.count)).max() ?? 0
        print("passes:")
        for p in PassRegistry.all {
            // Typed options, settable in a spec as `name{key=value,...}`.
            let keys = (p as? any ConfigurablePass).map { " {" + type(of: $0).optionKeys.joined(separator: ", ") + "}" } ?? ""
            print("  \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(p.summary)\(keys)")
        }
        print("pipelines:")
        for p in Pipelines.all {
            print("  \(p.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(p.passes.joined(separator: ",")): \(p.summary)")
        }
    }
}
