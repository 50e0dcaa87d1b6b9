// `nasc train`: train one fixed architecture of a space on a data set and report accuracy.
import ArgumentParser
import Foundation
import NASCIR
import NASCTool

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train one architecture of a space (e.g. an exported best) and report train, validation and test accuracy."
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(help: "The architecture: NNI JSON (v1, v3 or tuner form) or nasc protobuf. Not needed for a fixed space.")
    var arch: String?

    @OptionGroup var flags: TrainingFlags

    @Option(help: "Write the trained weights and optimizer state (a resumable checkpoint) here; rewritten after every epoch.")
    var save: String?

    @Option(help: "Start from saved weights (names and shapes must match exactly); a new optimizer, epoch 0.")
    var initFrom: String?

    @Option(help: "Continue the checkpointed run saved here (weights, optimizer state, epoch, schedule) with the same flags.")
    var resume: String?

    @Flag(help: "Print the final result as one JSON line on standard output.")
    var json = false

    func validate() throws {
        if initFrom != nil && resume != nil { throw ValidationError("--init-from and --resume exclude each other") }
    }

    func run() throws {
        if let save { try checkOutputDirectory(save) }
        let (file, space) = try loadSpace(input)
        do {
            let architecture = try arch.map { try ArchitectureFile.load($0, for: space) } ?? ArchitectureFile.none(for: space, file: input)
            let progress = ProgressPrinter(regression: flags.options.isRegression)
            var start = TrainingStart.fresh
            if let initFrom { start = .initFrom(try TrainingStart.loadCheckpoint(initFrom), file: initFrom) }
            if let resume { start = .resume(try TrainingStart.loadCheckpoint(resume), file: resume) }
            let save = self.save
            var options = flags.options
            // Text data: the vocabulary is kept next to the weights, for predict, eval and export.
            if let save { options.data = try WeightsVocabulary.save(data: options.data, weights: save) }
            let result = try ArchitectureTraining.train(
                space, architecture, options: options, start: start,
                onCheckpoint: save.map { path in { c in try OutputFile.write(try ProtoIO.encode(c), to: path) } },
                onEvent: progress.handle)
            if let diverged = result.divergence {
                // Like `nasc trial`: a `diverged` error, exit 1, and valid JSON (JSON has no NaN).
                if json { print(TrainResult.divergedLine(diverged)) }
                printError("\(input): error: diverged: \(diverged)")
                throw ReportedFailure()
            }
            if let save { try OutputFile.write(try ProtoIO.encode(result.checkpoint), to: save) }
            let last = result.epochs.last
            if flags.options.isRegression {
                // Regression: mean squared errors (lower is better).
                var fields: [(String, Double)] = []
                if let l = last { fields.append(("train_mse", l.trainLoss)) }
                if let v = last?.validationLoss { fields.append(("validation_mse", v)) }
                if let t = result.testLoss { fields.append(("test_mse", t)) }
                if json {
                    print("{" + (["\"parameters\":\(result.parameters)"] + fields.map { "\"\($0.0)\":\($0.1)" }).joined(separator: ",") + "}")
                } else {
                    print("parameters: \(result.parameters)")
                    for (k, v) in fields { print(k.replacingOccurrences(of: "_", with: " ") + ": " + String(format: "%.6g", v)) }
                    if let save { print("weights: \(save)") }
                }
            } else if json {
                var fields = ["\"parameters\":\(result.parameters)"]
                if let a = last?.trainAccuracy { fields.append("\"train_accuracy\":\(a)") }
                if let a = last?.validationAccuracy { fields.append("\"validation_accuracy\":\(a)") }
                if let l = last?.validationLoss { fields.append("\"validation_loss\":\(l)") }
                if let a = result.testAccuracy { fields.append("\"test_accuracy\":\(a)") }
                print("{" + fields.joined(separator: ",") + "}")
            } else {
                print("parameters: \(result.parameters)")
                if let l = last { print(String(format: "train accuracy: %.4f", l.trainAccuracy)) }
                if let v = last?.validationAccuracy { print(String(format: "validation accuracy: %.4f", v)) }
                if let t = result.testAccuracy { print(String(format: "test accuracy: %.4f", t)) }
                if let save { print("weights: \(save)") }
            }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }
}
