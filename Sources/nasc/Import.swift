// `nasc import`: an inference ONNX model of the supported ops -> a readable .nas space (and its weights).
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn an ONNX model into a .nas space to add choices to, optionally with its weights.",
        discussion: "Supported ops and the mapping are listed in docs/export.md. An unsupported op names the op and its node."
    )

    @Argument(help: "The ONNX model (e.g. from torch.onnx.export of a model in eval mode, with a fixed input size).")
    var model: String
    @Option(name: .shortAndLong, help: "The .nas file to write.")
    var output: String
    @Option(help: "Also write the model's weights here (a nasc checkpoint for predict, eval, export and train --init-from).")
    var weightsOut: String?
    @Option(help: "The space name (default: the output file's name).")
    var name: String?

    func run() throws {
        try checkOutputDirectory(output)
        if let weightsOut { try checkOutputDirectory(weightsOut) }
        do {
            let out = try ModelImport.convert(onnxPath: model, spaceName: name ?? ModelImport.spaceName(for: output))
            try OutputFile.write(out.source, to: output)
            print(output)
            if let weightsOut {
                try OutputFile.write(try ProtoIO.encode(out.weights), to: weightsOut)
                print(weightsOut)
            }
        } catch let error as DiagnosticError {
            printError(error.description)
            throw ReportedFailure()
        }
    }
}
