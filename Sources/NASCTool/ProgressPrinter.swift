// ProgressPrinter: renders training events as a live progress bar on a terminal, or as plain log lines otherwise.
import Foundation
import NASCRuntime

/// Prints training progress to standard error: a redrawn bar with throughput and ETA on a TTY, and one line per
/// epoch (plus a line every `logEvery` batches) when standard error is a file or pipe.
public final class ProgressPrinter {
    let isTTY: Bool
    let logEvery: Int
    /// Regression: the loss is the mean squared error and there is no accuracy to show.
    let regression: Bool
    var lastDraw = Date.distantPast

    /// Creates a printer; `isTTY` defaults to whether standard error is a terminal. With `regression`, lines show the
    /// loss as `mse` and no accuracy.
    public init(isTTY: Bool = isatty(2) == 1, logEvery: Int = 0, regression: Bool = false) {
        self.isTTY = isTTY
        self.logEvery = logEvery
        self.regression = regression
    }

    /// ` acc 0.1234` (classification, `digits` decimals) or nothing (regression).
    func accuracy(_ a: Double, _ digits: Int) -> String { regression ? "" : String(format: " acc %.\(digits)f", a) }

    /// `loss` or `mse` (regression).
    var lossName: String { regression ? "mse" : "loss" }

    /// The log line of an epoch summary (without the terminal's line reset).
    func epochLine(_ s: EpochSummary) -> String {
        var line = "epoch \(s.epoch + 1): train \(lossName) " + String(format: "%.4f", s.trainLoss) + accuracy(s.trainAccuracy, 4)
        if let vl = s.validationLoss, let va = s.validationAccuracy {
            line += "  val \(lossName) " + String(format: "%.4f", vl) + accuracy(va, 4)
        }
        return line + String(format: "  %.1fs  %.0f img/s", s.seconds, s.samplesPerSecond)
    }

    /// Handles one event.
    public func handle(_ event: TrainingEvent) {
        switch event {
        case .batch(let p):
            if isTTY {
                let now = Date()
                guard now.timeIntervalSince(lastDraw) > 0.1 || p.batch == p.batchesPerEpoch else { return }
                lastDraw = now
                let width = 24
                let filled = Int(p.fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                write("\r\u{1B}[Kepoch \(p.epoch + 1)/\(p.epochs) [\(bar)] \(p.batch)/\(p.batchesPerEpoch)  \(lossName) "
                      + String(format: "%.4f ", p.loss) + accuracy(p.accuracy, 3)
                      + String(format: "  %.0f img/s  ETA ", p.samplesPerSecond) + Self.duration(p.eta))
            } else if logEvery > 0, p.batch % logEvery == 0 {
                write("epoch \(p.epoch + 1)/\(p.epochs) batch \(p.batch)/\(p.batchesPerEpoch) \(lossName) " + String(format: "%.4f", p.loss) + accuracy(p.accuracy, 3)
                      + String(format: " %.0f img/s eta ", p.samplesPerSecond) + Self.duration(p.eta) + "\n")
            }
        case .epoch(let s):
            write((isTTY ? "\r\u{1B}[K" : "") + epochLine(s) + "\n")
        }
    }

    /// Whether the bar form is drawn (standard error is a terminal).
    public var isTerminal: Bool { isTTY }

    /// Erases a drawn bar so a log line can take its place.
    public func clearLine() { if isTTY { write("\r\u{1B}[K") } }

    /// `1h02m`, `3m05s`, `12s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
