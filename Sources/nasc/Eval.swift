// `nasc eval`: loss and accuracy (or mean squared error) of a trained architecture on a data split.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the loss and accuracy (classification) or mean squared error (regression) of trained weights on a split."
    )

    @OptionGroup var model: InferenceFlags

    @Flag(help: "Print the result as one JSON line on standard output.")
    var json = false

    func run() throws {
        let (m, data) = try model.load()
        do {
            let (values, width) = try m.outputs(data, batchSize: model.batchSize)
            let r = try EvalResult(outputs: values, width: width, data: data)
            let split = model.split.rawValue
            if json {
                var fields = ["\"split\":\"\(split)\"", "\"samples\":\(r.samples)"]
                if r.regression { fields.append("\"mse\":\(r.loss)") } else { fields.append("\"loss\":\(r.loss)") }
                if let a = r.accuracy { fields.append("\"accuracy\":\(a)") }
                print("{" + fields.joined(separator: ",") + "}")
            } else {
                print("split: \(split) (\(r.samples) samples)")
                if r.regression {
                    print(String(format: "mse: %.6g", r.loss))
                } else {
                    print(String(format: "loss: %.6f", r.loss))
                    if let a = r.accuracy { print(String(format: "accuracy: %.4f", a)) }
                }
            }
        } catch let error as DiagnosticError {
            printError(error.description)
            throw ReportedFailure()
        }
    }
}
