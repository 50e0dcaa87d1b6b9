// Executor+Checkpoint: saving and restoring an executor's persistent tensors and counters.
import NASCIR

extension Executor {
    /// A checkpoint of every parameter, state and optimizer-state slot plus the run counters.
    /// `epoch`/`batchInEpoch` record a trainer's position (0 when used alone).
    public func checkpoint(epoch: Int = 0, batchInEpoch: Int = 0) -> Checkpoint {
        let tensors = plan.persistentSlots.map { i in
            Checkpoint.Tensor(name: plan.slots[i].name, role: plan.slots[i].role, values: values(of: i),
                              shape: WeightMatch.shape(of: plan.slots[i]))
        }
        return Checkpoint(planName: plan.name, seed: seed, stepsTaken: stepsTaken, updatesTaken: updatesTaken,
                          learningRate: learningRate, epoch: epoch, batchInEpoch: batchInEpoch, tensors: tensors)
    }

    /// Restores a checkpoint taken from an executor of the same plan. Afterwards training continues exactly as the
    /// checkpointed run would have (same parameters, optimizer state, running statistics, dropout stream).
    /// Throws a ``DiagnosticError`` (and changes nothing) if the checkpoint does not fit the plan.
    public func restore(_ c: Checkpoint) throws {
        guard c.planName == plan.name else {
            throw ExecutorError.error("checkpoint is for plan '\(c.planName)', not '\(plan.name)'")
        }
        guard c.stepsTaken >= 0, c.updatesTaken >= 0, c.learningRate.isFinite, c.learningRate >= 0 else {
            throw ExecutorError.error("checkpoint has invalid counters or learning rate")
        }
        var byName: [String: Checkpoint.Tensor] = [:]
        for t in c.tensors {
            guard byName.updateValue(t, forKey: t.name) == nil else { throw ExecutorError.error("checkpoint has tensor '\(t.name)' twice") }
        }
        var writes: [(SlotID, [Float])] = []
        for i in plan.persistentSlots {
            let s = plan.slots[i]
            guard let t = byName.removeValue(forKey: s.name) else { throw ExecutorError.error("checkpoint has no tensor '\(s.name)'") }
            guard t.values.count == memory.counts[i], t.role == s.role else {
                throw ExecutorError.error("checkpoint tensor '\(s.name)' has \(t.values.count) values (\(t.role.rawValue)), the plan needs \(memory.counts[i]) (\(s.role.rawValue))")
            }
            let expected = WeightMatch.shape(of: s)
            guard t.shape.isEmpty || t.shape == expected else {
                throw ExecutorError.error("checkpoint tensor '\(s.name)' has shape \(WeightMatch.format(t.shape)), the plan needs \(WeightMatch.format(expected))")
            }
            if let k = t.values.firstIndex(where: { !$0.isFinite }) {
                throw ExecutorError.error("checkpoint tensor '\(s.name)' has a non-finite value (\(t.values[k])) at index \(k)")
            }
            writes.append((i, t.values))
        }
        if let extra = byName.keys.sorted().first { throw ExecutorError.error("checkpoint tensor '\(extra)' is not in the plan") }
        for (i, v) in writes { memory.f32(i).update(from: v, count: v.count) }
        seed = c.seed
        stepsTaken = c.stepsTaken
        updatesTaken = c.updatesTaken
        learningRate = c.learningRate
    }
}
