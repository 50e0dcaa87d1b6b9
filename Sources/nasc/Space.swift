// `nasc space`: print a space's decisions, as NNI search-space JSON or one line per decision.
import ArgumentParser
import NASCIR
import NASCTool

struct Space: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case nni, list
    }

    static let configuration = CommandConfiguration(
        abstract: "Print the search space: NNI search-space JSON (--format nni) or one decision per line."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(help: "nni (NNI search-space JSON) or list.")
    var format: Format = .nni

    func run() throws {
        let (file, space) = try loadSpace(input)
        do {
            let searchSpace = try SearchSpace(space)
            switch format {
            case .nni: print(NNISpaceJSON.write(searchSpace))
            case .list: for d in searchSpace.decisions { print("\(d.label)\t\(d.kind.summary)") }
            }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
