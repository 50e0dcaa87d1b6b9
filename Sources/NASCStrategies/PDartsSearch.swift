// PDartsSearch: progressive DARTS (P-DARTS, Chen et al. 2019) — DARTS in stages of growing depth on ever fewer
// candidates, with dropout on skip connections and a cap on the skip connections of the export.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// P-DARTS. Each stage compiles a new supernet from the space through the `pdarts-stage` pipeline
/// (`prune-candidates`: the candidates earlier stages dropped and the repeat depths other than the stage's;
/// `skip-dropout`: dropout after skip candidates) and trains it with DARTS from scratch (new weights and alphas, as
/// in the paper), the first ``PDartsConfig/warmupEpochs`` epochs on the weights only. Between stages every layer
/// choice keeps its top candidates by probability and every cell its top operations by the mean probability over its
/// edges (the IR has one candidate list per cell, so a cell's edges are pruned alike). The skip dropout of an epoch
/// follows the authors' code and the plan is recompiled when it changes; weights, alphas and optimizer state carry
/// over through the DARTS search's saved state. The export is DARTS's argmax over the last stage's alphas, with at
/// most ``PDartsConfig/maxSkips`` skip connections (``PDartsSkipCap``) and the repeat at its largest depth.
public final class PDartsSearch: OneShotResumable {
    /// Receives per-batch progress of the supernet training, when set.
    public var progress: OneShotProgress?
    public var epochEnded: ((Int) throws -> Void)?
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: PDartsConfig
    public let schedule: PDartsSchedule
    /// The candidates still in the search, by decision label, in the space's order.
    public private(set) var kept: [String: [String]]
    /// The current stage and the epochs of it already run.
    public private(set) var stage = 0, stageEpoch = 0
    /// The current stage's DARTS state after its last epoch (nil at the start of a stage).
    private var carried: OneShotSearchState?
    /// The latest DARTS state (kept across the stage boundary so a checkpoint always holds an executor).
    private var latest: OneShotSearchState?
    /// Skip connections the export's cap replaced.
    public private(set) var skipsReplaced = 0

    /// Checks the schedule against `space`. Throws a one-line `--strategy-option` error for an inconsistent schedule.
    public init(space: ModelSpace, config: PDartsConfig = PDartsConfig()) throws {
        self.space = space
        self.config = config
        searchSpace = try SearchSpace(space)
        schedule = try PDartsSchedule(config, space: space)
        var k: [String: [String]] = [:]
        for d in schedule.decisions { k[d.label] = d.names }
        kept = k
    }

    /// ``config`` with the schedule's resolved lists (the settings line and `settings.json`): the widest decision's
    /// drops, the stage depths and the repeat (nil: no depth growth), the skip dropout per stage.
    public var effectiveConfig: PDartsConfig {
        var c = config
        c.stages = schedule.stages
        c.numToDrop = schedule.decisions.max { $0.names.count < $1.names.count }.flatMap { schedule.drops[$0.label] }
        c.depths = schedule.depths.isEmpty ? nil : schedule.depths
        c.depthLabel = schedule.depthLabel
        c.skipDropout = schedule.skipDropout
        return c
    }

    /// Epochs of every stage together.
    public var totalEpochs: Int { schedule.stages * config.darts.epochs }
    /// Epochs run so far (all stages).
    public var epochsDone: Int { stage * config.darts.epochs + stageEpoch }

    /// The skip dropout of `epoch` of the current stage (the authors' schedule).
    public func skipDropout(epoch e: Int) -> Double {
        let p0 = schedule.skipDropout[stage], epochs = config.darts.epochs, warmup = config.warmupEpochs
        if e < warmup { return p0 * Double(epochs - e - 1) / Double(max(epochs, 1)) }
        return p0 * Foundation.exp(-config.dropoutDecay * Double(e - warmup))
    }

    /// The space the current stage searches, with skip dropout `p`.
    public func stageSpace(skipDropout p: Double) throws -> ModelSpace {
        var removals: [PruneCandidatesOptions.Removal] = []
        for d in schedule.decisions {
            let gone = d.names.filter { !(kept[d.label] ?? d.names).contains($0) }
            if !gone.isEmpty { removals.append(.init(label: d.label, candidates: gone)) }
        }
        if let label = schedule.depthLabel, stage < schedule.depths.count {
            let gone = schedule.repeatDepths.filter { $0 != schedule.depths[stage] }
            if !gone.isEmpty { removals.append(.init(label: label, candidates: gone.map(String.init))) }
        }
        var s = space
        var context = PassContext()
        try PassManager(compiling: Pipelines.pdartsStage(prune: PruneCandidatesOptions(removals: removals),
                                                         skipDropout: SkipDropoutOptions(probability: p)))
            .runOrThrow(on: &s, context: &context)
        return s
    }

    /// The DARTS configuration of the current stage, running up to `epochs` epochs (seeded per stage).
    func stageConfig(epochs: Int) -> DartsConfig {
        var c = config.darts
        c.epochs = epochs
        c.earlyStopSkips = 0
        c.archWarmupEpochs = config.warmupEpochs
        c.seed = config.darts.seed &+ UInt64(stage) &* 0x9E37_79B9
        return c
    }

    /// A DARTS search of the current stage (skip dropout `p`) continuing from ``carried``, set to run up to `epochs`.
    func stageSearch(epochs: Int, skipDropout p: Double) throws -> DartsSearch {
        let d = try DartsSearch(space: try stageSpace(skipDropout: p), config: stageConfig(epochs: epochs), mode: .darts)
        if let c = carried { try d.restore(c) }
        return d
    }

    /// Runs the remaining stages; `log` receives one entry per epoch (probabilities over the space's candidates, 0 for
    /// dropped ones; `stage`, `depth`, `skip_dropout` and `candidates` — the largest surviving candidate count — as
    /// extras). Returns the exported architecture.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws -> Architecture {
        let epochs = config.darts.epochs
        while stage < schedule.stages && stageEpoch < epochs {
            let e = stageEpoch, p = skipDropout(epoch: e)
            let d = try stageSearch(epochs: e + 1, skipDropout: p)
            d.progress = progress
            var entry: OneShotEpochLog?
            _ = try d.run(train: train, valid: valid) { entry = $0 }
            let state = try d.saveState()
            carried = state
            latest = state
            stageEpoch += 1
            if var entry {
                entry.epoch = epochsDone - 1
                entry.probabilities = fullProbabilities(entry.probabilities)
                entry.extra["stage"] = Double(stage)
                entry.extra["skip_dropout"] = p
                entry.extra["candidates"] = Double(kept.values.map(\.count).max() ?? 0)
                if stage < schedule.depths.count { entry.extra["depth"] = Double(schedule.depths[stage]) }
                log(entry)
            }
            if stageEpoch == epochs && stage + 1 < schedule.stages {
                prune(probabilities: fullProbabilities(d.probabilities()))
                stage += 1
                stageEpoch = 0
                carried = nil
            }
            try epochEnded?(epochsDone)
        }
        return try export()
    }

    /// Drops each decision's weakest candidates after the current stage (``PDartsSchedule/drops``).
    func prune(probabilities probs: [String: [Double]]) {
        for d in schedule.decisions {
            guard var names = kept[d.label], let drop = schedule.drops[d.label]?[stage], drop > 0 else { continue }
            let score: (String) -> Double = { name in
                guard let k = d.names.firstIndex(of: name) else { return 0 }
                let rows = d.alphaLabels.compactMap { probs[$0] }.filter { k < $0.count }
                return rows.isEmpty ? 0 : rows.map { $0[k] }.reduce(0, +) / Double(rows.count)
            }
            let ranked = names.enumerated().sorted { a, b in
                let x = score(a.element), y = score(b.element)
                return x != y ? x < y : a.offset > b.offset
            }
            let gone = Set(ranked.prefix(min(drop, names.count - 1)).map(\.element))
            names.removeAll { gone.contains($0) }
            kept[d.label] = names
        }
    }

    /// Probabilities of the pruned supernet spread over the space's candidates (0 for dropped ones); a decision pruned
    /// to one candidate (no alpha) gets probability 1 on it.
    public func fullProbabilities(_ probs: [String: [Double]]) -> [String: [Double]] {
        var out = probs
        for d in schedule.decisions {
            let k = kept[d.label] ?? d.names
            for label in d.alphaLabels {
                let p = probs[label] ?? (k.count == 1 ? [1] : [])
                guard p.count == k.count else { continue }
                out[label] = d.names.map { name in k.firstIndex(of: name).map { p[$0] } ?? 0 }
            }
        }
        return out
    }

    /// The architecture: DARTS's export over the last stage's probabilities without `none` (zero) candidates
    /// (``ZeroCandidateExclusion``) and with at most ``PDartsConfig/maxSkips`` skip connections, and the grown repeat at
    /// its largest depth.
    public func export() throws -> Architecture {
        guard let state = latest else {
            throw DiagnosticError(.error("P-DARTS has no trained stage to export (0 epochs)", at: SourceLocation(file: "--train-epochs")))
        }
        let saved = carried
        carried = state
        defer { carried = saved }
        let d = try DartsSearch(space: try stageSpace(skipDropout: 0), config: stageConfig(epochs: state.epochsDone), mode: .darts)
        try d.restore(state)
        var fixed: [String: DecisionValue] = [:]
        if let label = schedule.depthLabel, let deepest = schedule.repeatDepths.max() { fixed[label] = .value(.int(deepest)) }
        let probabilities = ZeroCandidateExclusion.apply(space: space, to: fullProbabilities(d.probabilities()))
        let (arch, replaced) = try PDartsSkipCap.architecture(space: space, searchSpace: searchSpace, probabilities: probabilities,
                                                              maxSkips: config.maxSkips, fixed: fixed)
        skipsReplaced = replaced
        return arch
    }

    public func saveState() throws -> OneShotSearchState {
        guard var s = latest else { throw OneShotSearchState.error("holds no trained P-DARTS epoch") }
        s.strategy = "pdarts"
        s.counters["pdarts_darts_epochs"] = UInt64(s.epochsDone)
        s.epochsDone = epochsDone
        s.counters["pdarts_stage"] = UInt64(stage)
        s.counters["pdarts_stage_epoch"] = UInt64(stageEpoch)
        s.blobs["pdarts_kept"] = try JSONEncoder().encode(kept)
        return s
    }

    public func restore(_ s: OneShotSearchState) throws {
        try s.check(strategy: "pdarts", epochs: totalEpochs)
        let st = try s.count("pdarts_stage"), se = try s.count("pdarts_stage_epoch")
        guard st < schedule.stages, se <= config.darts.epochs, st * config.darts.epochs + se == s.epochsDone else {
            throw OneShotSearchState.error("has stage \(st), epoch \(se), which does not fit \(schedule.stages) stages of \(config.darts.epochs) epochs")
        }
        guard let blob = s.blobs["pdarts_kept"], let k = try? JSONDecoder().decode([String: [String]].self, from: blob) else {
            throw OneShotSearchState.error("has no P-DARTS candidate sets")
        }
        for d in schedule.decisions {
            guard let names = k[d.label], !names.isEmpty, names.allSatisfy(d.names.contains) else {
                throw OneShotSearchState.error("has no valid candidate set for '\(d.label)'")
            }
        }
        var inner = s
        inner.strategy = SupernetMode.darts.rawValue
        inner.epochsDone = try s.count("pdarts_darts_epochs")
        kept = k
        stage = st
        stageEpoch = se
        latest = inner
        carried = se > 0 ? inner : nil
    }
}
