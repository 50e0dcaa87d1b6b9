// ProgressPrinterTests: the epoch lines of classification and regression training.
import Testing
import NASCRuntime
@testable import NASCTool

@Suite struct ProgressPrinterTests {
    static let summary = EpochSummary(epoch: 2, trainLoss: 0.25, trainAccuracy: 0.9, validationLoss: 0.5, validationAccuracy: 0.8,
                                      seconds: 1.5, samplesPerSecond: 1000)

    @Test func classificationLinesShowLossAndAccuracy() {
        let line = ProgressPrinter(isTTY: false).epochLine(Self.summary)
        #expect(line == "epoch 3: train loss 0.2500 acc 0.9000  val loss 0.5000 acc 0.8000  1.5s  1000 img/s")
    }

    @Test func regressionLinesShowTheMeanSquaredErrorAndNoAccuracy() {
        let line = ProgressPrinter(isTTY: false, regression: true).epochLine(Self.summary)
        #expect(line == "epoch 3: train mse 0.2500  val mse 0.5000  1.5s  1000 img/s")
    }
}
