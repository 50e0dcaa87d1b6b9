// `nasc compile`: turn a space into verified IR (protobuf, or text for .nir outputs).
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a model space (.nas, .nir or .pb) into verified IR.",
        discussion: "The output is protobuf unless its name ends in .nir, which writes text IR."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (default: the input's name with .pb).")
    var output: String?

    @Option(name: .customLong("passes"), help: "Pass pipeline: pipeline or pass names, comma-separated.")
    var passes = "default"

    @Flag(name: .customLong("print-ir-after-all"), help: "Print the IR to standard error after every pass.")
    var printAfterAll = false

    func run() throws {
        let (file, space) = try loadSpace(input)
        var compiler = Compiler(pipeline: passes)
        if printAfterAll { compiler.printAfterEachPass = { printError($0) } }
        let out = output ?? defaultOutput
        do {
            let compiled = try compiler.run(space)
            try OutputFile.write(try Compiler.serialize(compiled, for: out), to: out)
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }

    var defaultOutput: String {
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        return name + ".pb"
    }
}
