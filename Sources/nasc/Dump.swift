// `nasc dump`: print a space or architecture file as text IR, JSON or Graphviz DOT.
import ArgumentParser
import NASCIR
import NASCTool

extension DumpFormat: ExpressibleByArgument {}

struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a .nas, .nir or protobuf file as text IR (or JSON, or Graphviz DOT)."
    )

    @Argument(help: "The file to print.")
    var input: String

    @Option(help: "Output format: text, json or dot.")
    var format: DumpFormat = .text

    @Flag(name: .customLong("locations"), inversion: .prefixedNo, help: "Print source locations in text IR.")
    var locations = true

    @Option(name: .customLong("passes"), help: "Run this pass pipeline before printing (e.g. default).")
    var passes: String?

    @Option(help: "Print the subnet this architecture (NNI JSON or protobuf) chooses, flattened, instead of the space.")
    var arch: String?

    func run() throws {
        let file: InputFile
        let loaded: LoadedFile
        do {
            file = try InputFile(path: input)
        } catch let error as DiagnosticError {
            printError(error.description)
            throw ReportedFailure()
        }
        do {
            var l = try file.load()
            if case .space(let space) = l {
                try Verifier.verifyOrThrow(space)
                if let arch { l = .space(try ArchitectureTraining.subnet(space, try ArchitectureFile.load(arch, for: space))) }
                if let passes, case .space(let s) = l { l = .space(try Compiler(pipeline: passes).run(s)) }
            }
            loaded = l
            if arch != nil, case .space = l {} else if arch != nil {
                throw DiagnosticError(.error("--arch needs a model space to specialize", at: SourceLocation(file: input)))
            }
            print(try format.render(loaded, locations: locations), terminator: "")
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
