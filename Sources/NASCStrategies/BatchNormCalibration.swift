// BatchNormCalibration: recomputes a supernet path's batchnorm running statistics as exact averages over calibration batches.
import NASCIR
import NASCData
import NASCRuntime

/// Batchnorm recalibration for a selected supernet path (SPOS, Guo et al. 2020, sec. 3.3: "the statistics of all the
/// Batch Normalization operations are recalculated on a random subset of training data before the inference"; the
/// usual PyTorch form resets the running statistics and sets `momentum = None`, a cumulative average over the batches).
///
/// The plan's batchnorm steps update `running = (1 - m) running + m batch` with a fixed momentum `m` (0.1), so a
/// few forward passes from the reset values (mean 0, variance 1) would leave them mostly at the reset values (after 4
/// batches only `1 - 0.9^4 = 34%` of the batch statistics). Here every batch's statistics are recovered exactly: before
/// each forward pass the running mean is set to 0 and the running variance to the sentinel -1, so afterwards
/// `mean = r_mean / m` and `var = (r_var + 1 - m) / m` for the steps that ran (a step skipped by the selection leaves
/// -1); the running statistics become the average over the batches. Steps that never ran keep their values.
public enum BatchNormCalibration {
    /// The running-statistics slots of one batchnorm forward step.
    struct Stats {
        var mean: String, variance: String, momentum: Float
    }

    /// The executor's state slots (the batchnorm running statistics), to put back with ``restore(_:into:)`` after
    /// an evaluation that recalibrates them.
    static func saveState(_ executor: Executor) -> [String: [Float]] {
        var out: [String: [Float]] = [:]
        for s in executor.plan.slots where s.role == .state { out[s.name] = executor.parameter(s.name) }
        return out
    }

    /// Writes back state saved by ``saveState(_:)``.
    static func restore(_ saved: [String: [Float]], into executor: Executor) throws {
        for (name, v) in saved { try executor.setParameter(name, v) }
    }

    static func statistics(_ executor: Executor) -> [Stats] {
        var out: [Stats] = [], seen = Set<String>()
        for step in executor.plan.steps {
            guard case .batchNormForward(let s) = step.kernel, s.momentum > 0 else { continue }
            let mean = executor.plan.slots[s.runningMean].name, variance = executor.plan.slots[s.runningVar].name
            if seen.insert(mean).inserted { out.append(Stats(mean: mean, variance: variance, momentum: Float(s.momentum))) }
        }
        return out
    }

    /// Recalibrates the running statistics of the executor's current selection on `batches` batches of `data`
    /// (train-mode forward passes, no weight update); returns the number of batches used.
    @discardableResult
    public static func recalibrate(_ executor: Executor, data: Dataset, batches: Int, batchSize: Int, seed: UInt64) throws -> Int {
        let stats = statistics(executor)
        guard !stats.isEmpty, batches > 0 else { return 0 }
        var sums: [[Double]] = stats.map { [Double](repeating: 0, count: 2 * (executor.parameter($0.mean)?.count ?? 0)) }
        var counts = [Int](repeating: 0, count: stats.count)
        let original = stats.map { (executor.parameter($0.mean) ?? [], executor.parameter($0.variance) ?? []) }
        var stream = try OneShotBatches(data, batchSize: batchSize, seed: seed)
        let used = min(batches, max(stream.batchesPerEpoch, 1))
        for _ in 0..<used {
            for s in stats {
                let n = executor.parameter(s.mean)?.count ?? 0
                try executor.setParameter(s.mean, [Float](repeating: 0, count: n))
                try executor.setParameter(s.variance, [Float](repeating: -1, count: n))
            }
            let b = stream.next()
            try executor.forward(data: b.x, batch: b.n, mode: .train)
            for (i, s) in stats.enumerated() {
                guard let mean = executor.parameter(s.mean), let variance = executor.parameter(s.variance),
                      variance.first != -1 else { continue }
                let m = Double(s.momentum), c = mean.count
                for j in 0..<c {
                    sums[i][j] += Double(mean[j]) / m
                    sums[i][c + j] += (Double(variance[j]) + 1 - m) / m
                }
                counts[i] += 1
            }
        }
        for (i, s) in stats.enumerated() {
            let c = sums[i].count / 2
            if counts[i] == 0 {
                try executor.setParameter(s.mean, original[i].0)
                try executor.setParameter(s.variance, original[i].1)
                continue
            }
            let k = Double(counts[i])
            try executor.setParameter(s.mean, (0..<c).map { Float(sums[i][$0] / k) })
            try executor.setParameter(s.variance, (0..<c).map { Float(max(sums[i][c + $0] / k, 0)) })
        }
        return used
    }
}
