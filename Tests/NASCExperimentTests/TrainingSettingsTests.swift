// TrainingSettingsTests: one settings type for `nasc train` and trials; every setting survives the trip to retrain flags.
import Testing
@testable import NASCExperiment

@Suite struct TrainingSettingsTests {
    @Test func everySettingReachesTheRetrainFlags() throws {
        var s = TrainingSettings(data: "digits", epochs: 7, batchSize: 32, optimizer: "sgd", learningRate: 0.1, seed: 4, threads: 2)
        s.momentum = 0.8; s.nesterov = true; s.weightDecay = 5e-4; s.labelSmoothing = 0.1; s.schedule = "step"; s.scheduleStep = "iteration"
        s.validationFraction = 0.25; s.gradientClipNorm = 5; s.cropPadding = 2
        let flags = try #require(TrainingSettings.trainArguments(s.arguments + ["--epoch-ms", "3"]))
        #expect(flags == ["--data", "digits", "--epochs", "7", "--batch-size", "32", "--optimizer", "sgd", "--lr", "0.1",
                          "--seed", "4", "--threads", "2", "--momentum", "0.8", "--nesterov", "--weight-decay", "0.0005",
                          "--label-smoothing", "0.1", "--schedule", "step", "--schedule-step", "iteration", "--validation", "0.25", "--clip-grad-norm", "5.0",
                          "--crop-padding", "2"])
        // Defaults are omitted; no --data means the trials did not train.
        #expect(TrainingSettings(data: "digits").arguments.count == 14)
        #expect(TrainingSettings.trainArguments(["--benchmark", "synthetic:1", "--epochs", "3"]) == nil)
    }

    @Test func rangesAreCheckedAtTheirFlags() {
        func message(_ edit: (inout TrainingSettings) -> Void) -> String {
            var s = TrainingSettings(data: "digits")
            edit(&s)
            do { try s.validate(); return "" } catch { return "\(error)" }
        }
        #expect(message { _ in } == "")
        #expect(message { $0.momentum = -1 }.contains("--momentum"))
        #expect(message { $0.validationFraction = 1 }.contains("--validation must be in [0, 1), got 1.0"))
        #expect(message { $0.labelSmoothing = 1.5 }.contains("--label-smoothing"))
        #expect(message { $0.gradientClipNorm = 0 }.contains("--clip-grad-norm"))
    }
}
