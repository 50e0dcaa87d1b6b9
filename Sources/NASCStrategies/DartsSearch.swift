// DartsSearch: first-order DARTS — alternating architecture (validation) and weight (training) steps on a DARTS supernet.
import Foundation
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime

/// DARTS hyperparameters (defaults as in NNI's DartsLightningModule / the DARTS paper).
public struct DartsConfig: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// Weight optimizer: SGD with momentum.
    public var weightLR = 0.025, momentum = 0.9, weightDecay = 3e-4
    /// Architecture optimizer: Adam(lr 3e-4, betas (0.5, 0.999), weight decay 1e-3).
    public var archLR = 3e-4, archBeta1 = 0.5, archBeta2 = 0.999, archWeightDecay = 1e-3
    /// Limits the batches per epoch (0 = a whole epoch of the training set).
    public var maxBatchesPerEpoch = 0
    public var seed: UInt64 = 0
    /// Creates the default configuration.
    public init() {}
}

/// First-order DARTS: each step takes one architecture step (Adam on the `arch:` parameters, on a validation
/// batch) and one weight step (SGD on every other parameter, on a training batch). ``export()`` picks the argmax
/// candidate of each layer choice and the top `n_chosen` inputs of each input choice.
public final class DartsSearch {
    public let space: ModelSpace
    public let searchSpace: SearchSpace
    public let config: DartsConfig
    public let executor: Executor
    private let archOptimizer: Adam
    private var archState: [String: [Float]] = [:]
    private var archSteps = 0

    /// Compiles the DARTS supernet of `space`. Throws a ``DiagnosticError`` for spaces the supernet pass rejects.
    public init(space: ModelSpace, config: DartsConfig = DartsConfig()) throws {
        self.space = space
        self.config = config
        searchSpace = try SearchSpace(space)
        let options = ["optimizer": "sgd", "lr": "\(config.weightLR)", "momentum": "\(config.momentum)",
                       "weight_decay": "\(config.weightDecay)"]
        executor = try Executor(plan: try SupernetCompiler.compile(space, mode: .darts, options: options), seed: config.seed)
        archOptimizer = try Adam(learningRate: config.archLR, beta1: config.archBeta1, beta2: config.archBeta2,
                                 weightDecay: config.archWeightDecay)
        for name in executor.architectureParameterNames {
            archState[name] = [Float](repeating: 0, count: 2 * (executor.parameter(name)?.count ?? 0))
        }
    }

    /// One architecture step on a validation batch. Returns the loss and correct predictions.
    func archStep(_ x: [Float], _ y: [Int64], _ n: Int) throws -> (Float, Int) {
        let loss = try executor.computeGradients(data: x, labels: y, batch: n)
        let hits = OneShotMetrics.correct(executor, y)
        archSteps += 1
        for name in executor.architectureParameterNames {
            guard var p = executor.parameter(name), let g = executor.gradient(of: name), var st = archState[name] else { continue }
            archOptimizer.step(parameter: &p, gradient: g, state: &st, step: archSteps)
            archState[name] = st
            try executor.setParameter(name, p)
        }
        return (loss, hits)
    }

    /// One weight step on a training batch (the architecture parameters are not updated).
    func weightStep(_ x: [Float], _ y: [Int64], _ n: Int) throws -> (Float, Int) {
        let loss = try executor.computeGradients(data: x, labels: y, batch: n)
        let hits = OneShotMetrics.correct(executor, y)
        try executor.applyUpdates { !$0.hasPrefix("arch:") }
        return (loss, hits)
    }

    /// Runs the search; `log` receives one entry per epoch. Returns the exported architecture.
    @discardableResult
    public func run(train: Dataset, valid: Dataset, log: (OneShotEpochLog) -> Void = { _ in }) throws -> Architecture {
        var tb = try OneShotBatches(train, batchSize: config.batchSize, seed: config.seed)
        var vb = try OneShotBatches(valid, batchSize: config.batchSize, seed: config.seed &+ 1)
        let steps = config.maxBatchesPerEpoch > 0 ? min(config.maxBatchesPerEpoch, tb.batchesPerEpoch) : tb.batchesPerEpoch
        for epoch in 0..<config.epochs {
            var tl = 0.0, th = 0, tn = 0, vl = 0.0, vh = 0, vn = 0
            for _ in 0..<steps {
                let v = vb.next()
                let (la, ha) = try archStep(v.x, v.y, v.n)
                vl += Double(la) * Double(v.n); vh += ha; vn += v.n
                let t = tb.next()
                let (lw, hw) = try weightStep(t.x, t.y, t.n)
                tl += Double(lw) * Double(t.n); th += hw; tn += t.n
            }
            log(OneShotEpochLog(epoch: epoch, trainLoss: tl / Double(max(tn, 1)), trainAccuracy: Double(th) / Double(max(tn, 1)),
                                validLoss: vl / Double(max(vn, 1)), validAccuracy: Double(vh) / Double(max(vn, 1)),
                                probabilities: probabilities()))
        }
        return try export()
    }

    /// Each choice's candidate probabilities: softmax of its alpha, by label.
    public func probabilities() -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for name in executor.architectureParameterNames {
            guard let a = executor.parameter(name) else { continue }
            let m = a.max() ?? 0
            let e = a.map { Foundation.exp(Double($0 - m)) }
            let s = e.reduce(0, +)
            out[String(name.dropFirst("arch:".count))] = e.map { $0 / s }
        }
        return out
    }

    /// The architecture the alphas pick: argmax for layer choices, the top `n_chosen` (ascending indices) for input
    /// choices. A decision without an alpha (a single candidate) takes its first candidate.
    public func export() throws -> Architecture {
        let probs = probabilities()
        var values: [String: DecisionValue] = [:]
        // Cells: per-edge alphas mapped onto op_i_k / input_i_k as NNI's DifferentiableMixedCell exports them.
        let cells = SupernetCellExport.decisions(space: space) { executor.parameter($0) }
        for d in searchSpace.decisions {
            if let v = cells[d.label] { values[d.label] = v; continue }
            let p = probs[d.label] ?? []
            let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
            switch d.kind {
            case .layerChoice(let names):
                values[d.label] = .candidate(names[order.first ?? 0])
            case .inputChoice(let n, let k):
                let chosen = order.isEmpty ? Array(0..<min(k ?? 1, n)) : Array(order.prefix(k ?? 1))
                values[d.label] = .inputs(chosen.sorted())
            case .valueChoice(let vs):
                values[d.label] = .value(vs[0])
            case .repeatDepth(let ds):
                values[d.label] = .value(.int(ds[0]))
            }
        }
        let arch = Architecture(values)
        try searchSpace.validate(arch)
        return arch
    }
}

