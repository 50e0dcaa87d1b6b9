// ProgressDisplay: shows `nasc run` progress — a refreshing trial table on a terminal, plain log lines otherwise.
import Foundation

/// An ``ExperimentObserver`` writing to a text sink. On a terminal (`live`) it redraws a small status block
/// (counts, best so far, running trials with their latest epoch) under the log lines; otherwise it writes one
/// plain line per event, suitable for log files.
public final class ProgressDisplay: ExperimentObserver {
    let write: (String) -> Void
    let live: Bool
    let start = Date()
    private var drawnLines = 0
    /// The latest snapshot (for the ETA on plain log lines).
    private var lastSnapshot: ExperimentSnapshot?
    /// A short form of a trial's architecture for its `started` line (`op=conv3x3 width=64`), when set.
    public var describeTrial: ((Int) -> String?)?

    /// Creates a display; `live` selects the refreshing terminal form.
    public init(live: Bool, write: @escaping (String) -> Void) {
        self.live = live
        self.write = write
    }

    /// True when standard output is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    func stamp() -> String {
        let t = Date().timeIntervalSince(start)
        return String(format: "[%5.1fs]", t)
    }

    /// Prints a log line (above the live block, which is redrawn on the next tick).
    func log(_ text: String) {
        clearBlock()
        write("\(stamp()) \(text)\n")
    }

    public func note(_ text: String) { log(text) }

    public func trialStarted(_ id: Int, attempt: Int, pid: Int32) {
        log("trial \(id) started" + (attempt > 1 ? " (attempt \(attempt))" : "") + (pid > 0 ? " pid \(pid)" : "")
            + (describeTrial?(id).map { ": " + $0 } ?? ""))
    }

    public func trialProgress(_ id: Int, epoch: Int, metric: Double) {
        if !live { log("trial \(id) epoch \(epoch): \(ExperimentReport.metric(metric))") }
    }

    public func trialFinished(_ r: TrialRecord) {
        let time = r.duration.map { " in " + ExperimentReport.seconds($0) } ?? ""
        switch r.status {
        case .succeeded: log("trial \(r.id) succeeded: \(r.finalMetric.map(ExperimentReport.metric) ?? "-")\(time)"
                             + (lastSnapshot.flatMap { Self.eta($0, finishedNow: 1) }.map { ", ETA " + DurationParser.describe($0.rounded()) } ?? ""))
        case .stopped: log("trial \(r.id) stopped early at epoch \(r.stoppedEpoch ?? 0): \(r.finalMetric.map(ExperimentReport.metric) ?? "-")\(time)")
        default: log("trial \(r.id) failed: \(r.error ?? "unknown reason")")
        }
    }

    /// Seconds until the experiment's limit, from max-duration's remainder or from the rate of finished trials toward
    /// max-trials (whichever comes first); `nil` without a limit or before any trial finished. `finishedNow` counts
    /// trials finished since the snapshot.
    public static func eta(_ s: ExperimentSnapshot, finishedNow: Int = 0) -> Double? {
        var out: Double?
        if let d = s.maxDuration { out = max(0, d - s.elapsed) }
        let finished = s.succeeded + s.failed + finishedNow
        if let m = s.maxTrials, finished > 0, s.elapsed > 0 {
            let t = Double(max(0, m - finished)) * s.elapsed / Double(finished)
            out = min(out ?? t, t)
        }
        return out
    }

    public func tick(_ s: ExperimentSnapshot) {
        lastSnapshot = s
        guard live else { return }
        clearBlock()
        var lines: [String] = []
        let limit = s.maxTrials.map { "/\($0)" } ?? ""
        let time = DurationParser.describe(s.elapsed.rounded()) + (s.maxDuration.map { " of " + DurationParser.describe($0) } ?? "")
        lines.append("trials \(s.total)\(limit): \(s.running.count) running, \(s.succeeded) succeeded, \(s.failed) failed, \(s.queued) queued; \(time)"
                     + (Self.eta(s).map { ", ETA " + DurationParser.describe($0.rounded()) } ?? ""))
        if let b = s.best { lines.append("best: trial \(b.id) \(ExperimentReport.metric(b.metric))") }
        for id in s.running.keys.sorted() {
            let p = s.running[id].flatMap { $0 }.map { "epoch \($0.epoch): \(ExperimentReport.metric($0.metric))" } ?? "starting"
            lines.append("  trial \(id)  \(p)")
        }
        write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    /// Erases the live block (cursor up, clear to end of screen).
    func clearBlock() {
        guard live, drawnLines > 0 else { return }
        write("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    /// Removes the live block before the final summary.
    public func finish() { clearBlock() }
}
