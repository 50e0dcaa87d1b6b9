// PDartsConfig: P-DARTS settings and its stage schedule (stages, candidates dropped, depths, skip dropout),
// checked against the space before anything runs.
import Foundation
import NASCIR
import NASCPasses

/// P-DARTS hyperparameters. Defaults are a scaled-down schedule for the 8x8 digits; the paper's (CIFAR-10) are
/// 3 stages of 25 epochs (10 weights-only), 5 -> 11 -> 17 cells, 8 -> 5 -> 3 -> 1 operations per edge (NNI
/// `pdarts_num_to_drop = [3, 2, 2]`), skip dropout 0.0 / 0.4 / 0.7 and at most 2 skip connections (M = 2).
public struct PDartsConfig: Sendable {
    /// The DARTS settings of every stage; `epochs` is the epochs of one stage (NNI `num_epochs` per stage).
    public var darts: DartsConfig
    /// The number of stages.
    public var stages = 3
    /// Candidates dropped from every layer choice and cell after each stage (NNI `pdarts_num_to_drop`, one entry per
    /// stage; the last stage's drop is the export's argmax). nil: the largest decision's `n - 1` candidates spread
    /// over the stages, front-loaded (8 candidates, 3 stages: 3, 2, 2), each decision by its own count.
    public var numToDrop: [Int]?
    /// The depth (a depth of the repeat ``depthLabel``) each stage searches; nil: spread over the repeat's depths when
    /// the space has exactly one repeat, else the depth stays as the space has it.
    public var depths: [Int]?
    /// The repeat whose depth grows (nil: the space's only repeat, if any).
    public var depthLabel: String?
    /// Initial dropout probability on skip connections per stage (nil: 0.0, 0.4, 0.7 for 3 stages as in the paper,
    /// else linear from 0 to 0.7).
    public var skipDropout: [Double]?
    /// Epochs at the start of each stage that train the weights only (the paper: 10 of 25).
    public var warmupEpochs = 2
    /// The decay of the skip dropout after the warm-up: `p = p0 * exp(-decay * (epoch - warmup))` (the authors'
    /// code: 0.2); during the warm-up `p = p0 * (epochs - epoch - 1) / epochs`.
    public var dropoutDecay = 0.2
    /// The most skip connections the export keeps (M), per cell label and among the layer choices outside cells.
    public var maxSkips = 2

    /// Creates the default configuration (5 epochs per stage at batch 64, DARTS's optimizers).
    public init() {
        darts = DartsConfig()
        darts.epochs = 5
    }
}

extension PDartsConfig: OneShotTrainingSettings {
    public var epochs: Int { get { darts.epochs } set { darts.epochs = newValue } }
    public var batchSize: Int { get { darts.batchSize } set { darts.batchSize = newValue } }
    public var weightLearningRate: Double { get { darts.weightLR } set { darts.weightLR = newValue } }
    public var momentum: Double { get { darts.momentum } set { darts.momentum = newValue } }
    public var weightDecay: Double { get { darts.weightDecay } set { darts.weightDecay = newValue } }
    public var maxBatchesPerEpoch: Int { get { darts.maxBatchesPerEpoch } set { darts.maxBatchesPerEpoch = newValue } }
    public var seed: UInt64 { get { darts.seed } set { darts.seed = newValue } }
    public var strategySettings: [(String, String)] {
        func list<T>(_ v: [T]?) -> String { v.map { $0.map { "\($0)" }.joined(separator: ",") } ?? "none" }
        return [("schedule", "constant"), ("arch_lr", "\(darts.archLR)"), ("alpha_init_std", "\(darts.alphaInitStd)"),
                ("stages", "\(stages)"), ("num_to_drop", list(numToDrop)), ("depths", list(depths)),
                ("depth_label", depthLabel ?? "none"), ("skip_dropout", list(skipDropout)), ("warmup_epochs", "\(warmupEpochs)"),
                ("dropout_decay", "\(dropoutDecay)"), ("max_skips", "\(maxSkips)")]
    }
}

/// One decision P-DARTS prunes: a layer choice or a cell (whose operations are pruned on every edge).
struct PDartsDecision: Sendable {
    var label: String
    /// The candidate names, in the space's order.
    var names: [String]
    /// The alpha labels of the decision: the layer choice's own label, or the cell's edges `<cell>/i_j`.
    var alphaLabels: [String]
    var isCell: Bool
}

/// The resolved stage schedule of a P-DARTS run on one space.
public struct PDartsSchedule: Sendable {
    public var stages: Int
    /// Candidates each decision loses after stage `s`, by label (the last stage's entry is informational).
    public var drops: [String: [Int]]
    /// The repeat whose depth grows, its depths in the space, and the depth of each stage.
    public var depthLabel: String?
    public var repeatDepths: [Int] = []
    public var depths: [Int] = []
    /// Initial skip dropout per stage.
    public var skipDropout: [Double]
    var decisions: [PDartsDecision]

    /// Resolves `config` against `space`. Throws a one-line `--strategy-option` error for a schedule the space cannot
    /// follow: more stages than candidates to drop, drops that exceed the candidates, a depth list that does not
    /// increase, has the wrong length or names a depth the repeat does not have, or depths without a repeat.
    public init(_ config: PDartsConfig, space: ModelSpace) throws {
        func fail(_ m: String) -> DiagnosticError { DiagnosticError(.error(m, at: SourceLocation(file: "--strategy-option"))) }
        decisions = Self.decisions(space)
        stages = config.stages
        guard stages >= 1 else { throw fail("stages must be at least 1, got \(stages)") }
        guard let widest = decisions.max(by: { $0.names.count < $1.names.count }), widest.names.count >= 2 else {
            throw fail("pdarts prunes layer choices and cells, and this space has none with two or more candidates")
        }
        let n = widest.names.count
        drops = [:]
        if let given = config.numToDrop {
            guard given.count == stages else { throw fail("num_to_drop has \(given.count) entries for \(stages) stages") }
            let total = given.reduce(0, +)
            guard total <= n - 1 else {
                throw fail("num_to_drop \(given.map(String.init).joined(separator: ",")) drops \(total) candidates, but the largest decision ('\(widest.label)') has \(n): at most \(n - 1) can go")
            }
            for d in decisions { drops[d.label] = Self.clamped(given, candidates: d.names.count) }
        } else {
            guard stages <= n - 1 else {
                throw fail("stages=\(stages) is more stages than candidates to drop: the largest decision ('\(widest.label)') has \(n) candidates, so at most \(n - 1) stages")
            }
            for d in decisions { drops[d.label] = Self.spread(d.names.count - 1, over: stages) }
        }
        if let p = config.skipDropout {
            guard p.count == stages else { throw fail("skip_dropout has \(p.count) entries for \(stages) stages") }
            guard p.allSatisfy({ $0 >= 0 && $0 < 1 }) else { throw fail("skip_dropout rates must be in [0, 1)") }
            skipDropout = p
        } else {
            let n = config.stages
            skipDropout = n == 3 ? [0, 0.4, 0.7] : (0..<n).map { n == 1 ? 0 : 0.7 * Double($0) / Double(n - 1) }
        }
        guard config.warmupEpochs <= config.darts.epochs else {
            throw fail("warmup_epochs (\(config.warmupEpochs)) must not exceed the epochs per stage (\(config.darts.epochs))")
        }
        let repeats = Self.repeats(space)
        if let label = config.depthLabel {
            guard let ds = repeats[label] else {
                throw fail("depth_label '\(label)' is not a repeat of the space (repeats: \(repeats.keys.sorted().joined(separator: ", ")))")
            }
            depthLabel = label; repeatDepths = ds
        } else if repeats.count == 1, let only = repeats.first {
            depthLabel = only.key; repeatDepths = only.value
        } else if config.depths != nil {
            throw fail(repeats.isEmpty ? "depths needs a repeat in the space (a repeat of cells whose depths include the stage depths); this space has none"
                                       : "depths needs depth_label: the space has several repeats (\(repeats.keys.sorted().joined(separator: ", ")))")
        }
        if let given = config.depths {
            guard given.count == stages else { throw fail("depths has \(given.count) entries for \(stages) stages") }
            for (a, b) in zip(given, given.dropFirst()) where b <= a {
                throw fail("depths \(given.map(String.init).joined(separator: ",")) do not increase (\(a) then \(b))")
            }
            if let bad = given.first(where: { !repeatDepths.contains($0) }) {
                throw fail("depth \(bad) is not a depth of repeat '\(depthLabel ?? "")' (\(repeatDepths.map(String.init).joined(separator: ", ")))")
            }
            depths = given
        } else if depthLabel != nil {
            let positive = repeatDepths.filter { $0 > 0 }
            let ds = positive.isEmpty ? repeatDepths : positive
            let n = config.stages
            depths = (0..<n).map { s in ds[n == 1 ? ds.count - 1 : Int((Double(s * (ds.count - 1)) / Double(n - 1)).rounded())] }
        }
    }

    /// `total` drops spread over `stages`, front-loaded: `ceil(left / stages left)` each (7 over 3: 3, 2, 2).
    static func spread(_ total: Int, over stages: Int) -> [Int] {
        var left = max(total, 0)
        return (0..<stages).map { s in
            let d = (left + (stages - s) - 1) / (stages - s)
            left -= d
            return d
        }
    }

    /// `given` drops limited so that a decision of `candidates` keeps at least one.
    static func clamped(_ given: [Int], candidates: Int) -> [Int] {
        var left = candidates - 1
        return given.map { d in let t = min(max(d, 0), left); left -= t; return t }
    }

    /// The layer choices and cells of the space (reachable from the root), one per label, in order of appearance.
    static func decisions(_ space: ModelSpace) -> [PDartsDecision] {
        var out: [PDartsDecision] = []
        var seen: Set<String> = []
        for g in space.reachableGraphs.compactMap(space.graph(named:)) {
            for node in g.nodes {
                switch node.op {
                case .layerChoice(let lc) where seen.insert(lc.label).inserted:
                    out.append(PDartsDecision(label: lc.label, names: lc.candidates.map(\.name), alphaLabels: [lc.label], isCell: false))
                case .cell(let c) where seen.insert(c.label).inserted:
                    let preds = node.inputs.count
                    let edges = (0..<max(c.numNodes, 0)).flatMap { m in
                        (0..<(preds + m)).map { j in SupernetCellLabels.edge(c.label, node: preds + m, source: j) }
                    }
                    out.append(PDartsDecision(label: c.label, names: c.candidates.map(\.name), alphaLabels: edges, isCell: true))
                default:
                    continue
                }
            }
        }
        return out
    }

    /// The repeats of the space by label, with their depths.
    static func repeats(_ space: ModelSpace) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for g in space.reachableGraphs.compactMap(space.graph(named:)) {
            for node in g.nodes { if case .repeated(let r) = node.op { out[r.label] = r.depths } }
        }
        return out
    }
}
