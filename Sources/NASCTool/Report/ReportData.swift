// ReportData: what `nasc experiment report` shows, read from a multi-trial store or a one-shot run's files.
import Foundation
import NASCExperiment
import NASCIR

/// The data behind the HTML report, independent of how the directory stores it.
struct ReportData {
    /// One trial of a multi-trial experiment.
    struct Trial {
        var id: Int
        var status: String
        var metric: Double?
        var params: Int?
        var flops: Int?
        var curve: [(epoch: Int, metric: Double)]
        var architecture: Architecture?
        var error: String?
    }

    /// One epoch of a one-shot run (a line of `oneshot.jsonl`).
    struct Epoch {
        var epoch: Int
        var trainLoss, trainAccuracy, validLoss, validAccuracy: Double
        var probabilities: [String: [Double]]
    }

    var directory: String
    var title: String
    var facts: [(String, String)] = []
    var space: ModelSpace?
    var searchSpace: SearchSpace?
    var trials: [Trial] = []
    var epochs: [Epoch] = []
    var best: Architecture?
    var bestJSON: String?
    var oneShot: Bool { !epochs.isEmpty || trials.isEmpty }

    /// Reads `directory`: a multi-trial experiment (`experiment.sqlite`) or a one-shot run (`oneshot.jsonl`).
    static func load(_ directory: String) throws -> ReportData {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw DiagnosticError(.error("no such experiment directory", at: SourceLocation(file: directory)))
        }
        guard isDir.boolValue else { throw DiagnosticError(.error("not a directory", at: SourceLocation(file: directory))) }
        // A one-shot run has a store too (it records the run); its epoch log is what the report draws.
        if FileManager.default.fileExists(atPath: join(directory, "oneshot.jsonl")) { return try oneShot(directory) }
        if FileManager.default.fileExists(atPath: Experiment.storePath(directory)) { return try multiTrial(directory) }
        throw DiagnosticError(.error("not an experiment directory (no \(Experiment.storeFileName) or oneshot.jsonl)",
                                     at: SourceLocation(file: directory)))
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    static func multiTrial(_ directory: String) throws -> ReportData {
        let store = try ExperimentStore.open(directory: directory, readOnly: true)
        let config = try store.config(), state = try store.state()
        let space = try store.space()
        let searchSpace = try SearchSpace(space)
        var d = ReportData(directory: directory, title: "\(config.strategy) search over \(config.spacePath)")
        d.space = space
        d.searchSpace = searchSpace
        for t in try store.trials() {
            let curve = try store.intermediates(t.id).map { (epoch: $0.epoch, metric: $0.metric) }
            d.trials.append(Trial(id: t.id, status: t.status.rawValue, metric: t.finalMetric, params: t.params, flops: t.flops,
                                  curve: curve, architecture: try? ArchitectureJSON.read(t.architectureJSON, space: searchSpace),
                                  error: t.error))
        }
        let succeeded = d.trials.filter { $0.metric != nil }
        let failed = d.trials.filter { $0.status == "failed" }.count
        let stopped = d.trials.filter { $0.status == "stopped" }.count
        if let b = try store.top(1).first {
            d.best = try? ArchitectureJSON.read(b.architectureJSON, space: searchSpace)
            d.bestJSON = b.architectureJSON
            // The validation loss breaks ties; a benchmark table's held-out `test` is shown, never used to pick.
            d.facts.append(("best", "trial \(b.id), metric \(ExperimentReport.metric(b.finalMetric ?? .nan))"
                            + (b.finalLoss.map { ", validation loss \(ExperimentReport.metric($0))" } ?? "")
                            + (b.testMetric.map { ", test \(ExperimentReport.metric($0))" } ?? "")))
        }
        d.facts += [("strategy", config.strategy), ("space", config.spacePath), ("seed", "\(config.seed)"),
                    ("trials", "\(d.trials.count) (\(succeeded.count) succeeded\(stopped > 0 ? ", \(stopped) of them stopped early" : ""), \(failed) failed)"),
                    ("status", state.status + (state.endReason.map { " (\($0))" } ?? "")),
                    ("elapsed", ExperimentReport.seconds(state.elapsed))]
        return d
    }

    static func oneShot(_ directory: String) throws -> ReportData {
        let logPath = join(directory, "oneshot.jsonl")
        guard let data = FileManager.default.contents(atPath: logPath) else {
            throw DiagnosticError(.error("cannot read file", at: SourceLocation(file: logPath)))
        }
        var d = ReportData(directory: directory, title: "one-shot search")
        for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw DiagnosticError(.error("not a JSON object", at: SourceLocation(file: logPath, line: i + 1, column: 1)))
            }
            // Epoch entries have probabilities; SPOS's evolution lines do not.
            guard let e = obj["epoch"] as? Int, let probs = obj["probabilities"] as? [String: [Double]] else { continue }
            func num(_ k: String) -> Double { (obj[k] as? NSNumber)?.doubleValue ?? .nan }
            d.epochs.append(Epoch(epoch: e, trainLoss: num("train_loss"), trainAccuracy: num("train_accuracy"),
                                  validLoss: num("valid_loss"), validAccuracy: num("valid_accuracy"), probabilities: probs))
        }
        let settingsPath = join(directory, "settings.json")
        if let s = FileManager.default.contents(atPath: settingsPath),
           let obj = try? JSONSerialization.jsonObject(with: s) as? [String: Any] {
            if let strategy = obj["strategy"] as? String { d.title = "\(strategy) one-shot search"; d.facts.append(("strategy", strategy)) }
        }
        let spacePath = Experiment.spacePath(directory)
        if FileManager.default.fileExists(atPath: spacePath) {
            let space = try InputFile(path: spacePath).loadSpace()
            d.space = space
            d.searchSpace = try SearchSpace(space)
        }
        let bestPath = join(directory, "best_architecture.json")
        if let b = FileManager.default.contents(atPath: bestPath) {
            d.bestJSON = String(decoding: b, as: UTF8.self)
            if let ss = d.searchSpace { d.best = try ArchitectureJSON.read(d.bestJSON!, space: ss, file: bestPath) }
        }
        d.facts.append(("epochs", "\(d.epochs.count)"))
        if let last = d.epochs.last {
            d.facts.append(("final supernet accuracy", String(format: "train %.4f, valid %.4f", last.trainAccuracy, last.validAccuracy)))
        }
        return d
    }
}
