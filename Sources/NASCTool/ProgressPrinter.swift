// ProgressPrinter: renders training events as a live progress bar on a terminal, or as plain log lines otherwise.
import Foundation
import NASCRuntime

/// Prints training progress to standard error: a redrawn bar with throughput and ETA on a TTY, and one line per
/// epoch (plus a line every `logEvery` batches) when standard error is a file or pipe.
public final class ProgressPrinter {
    let isTTY: Bool
    let logEvery: Int
    var lastDraw = Date.distantPast

    /// Creates a printer; `isTTY` defaults to whether standard error is a terminal.
    public init(isTTY: Bool = isatty(2) == 1, logEvery: Int = 0) {
        self.isTTY = isTTY
        self.logEvery = logEvery
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
                write(String(format: "\r\u{1B}[Kepoch %d/%d [%@] %d/%d  loss %.4f  acc %.3f  %.0f img/s  ETA %@",
                             p.epoch + 1, p.epochs, bar, p.batch, p.batchesPerEpoch, p.loss, p.accuracy,
                             p.samplesPerSecond, Self.duration(p.eta)))
            } else if logEvery > 0, p.batch % logEvery == 0 {
                write(String(format: "epoch %d/%d batch %d/%d loss %.4f acc %.3f %.0f img/s eta %@\n", p.epoch + 1, p.epochs,
                             p.batch, p.batchesPerEpoch, p.loss, p.accuracy, p.samplesPerSecond, Self.duration(p.eta)))
            }
        case .epoch(let s):
            var line = String(format: "epoch %d: train loss %.4f acc %.4f", s.epoch + 1, s.trainLoss, s.trainAccuracy)
            if let vl = s.validationLoss, let va = s.validationAccuracy { line += String(format: "  val loss %.4f acc %.4f", vl, va) }
            line += String(format: "  %.1fs  %.0f img/s", s.seconds, s.samplesPerSecond)
            write((isTTY ? "\r\u{1B}[K" : "") + line + "\n")
        }
    }

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
