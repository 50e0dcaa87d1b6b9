// TrainDivergence: how `nasc train` recognizes and reports a run whose loss or metrics became NaN or infinite.
import NASCExperiment

extension TrainResult {
    /// Why the run diverged (the first non-finite loss or accuracy, by epoch, then the test split's), or `nil`.
    public var divergence: String? {
        for s in epochs {
            let named: [(String, Double?)] = [("training loss", s.trainLoss), ("training accuracy", s.trainAccuracy),
                                              ("validation loss", s.validationLoss), ("validation accuracy", s.validationAccuracy)]
            for (name, v) in named { if let v, !v.isFinite { return "\(name) is \(v) at epoch \(s.epoch + 1)" } }
        }
        if let t = testLoss, !t.isFinite { return "test loss is \(t)" }
        if let t = testAccuracy, !t.isFinite { return "test accuracy is \(t)" }
        return nil
    }

    /// The JSON line `nasc train --json` prints for a diverged run: the `diverged` error of `nasc trial`.
    public static func divergedLine(_ message: String) -> String { TrialMessage.error(kind: "diverged", message: message).line }
}
