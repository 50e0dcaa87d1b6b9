// PlanGuards: which slots a step writes, and the guards of weighted-sum terms (which terms may be stale).

extension Plan {
    /// The slots a step writes.
    public static func writtenSlots(_ k: KernelStep) -> [SlotID] {
        switch k {
        case .convForward(let s): return [s.output] + (s.workspace.map { [$0] } ?? [])
        case .convBackwardInput(let s): return [s.gradInput]
        case .convBackwardWeight(let s): return [s.gradWeight]
        case .convBackwardBias(let s): return [s.gradBias]
        case .linearForward(let s): return [s.output]
        case .linearBackwardInput(let s): return [s.gradInput]
        case .linearBackwardWeight(let s): return [s.gradWeight]
        case .linearBackwardBias(let s): return [s.gradBias]
        case .batchNormForward(let s): return [s.output, s.savedMean, s.savedInvStd]
        case .batchNormBackward(let s): return [s.gradInput, s.gradGamma, s.gradBeta].compactMap { $0 }
        case .batchNormFold(let s): return [s.output]
        case .layerNormForward(let s): return [s.output, s.savedMean, s.savedInvStd]
        case .layerNormBackward(let s): return [s.gradInput, s.gradGamma, s.gradBeta].compactMap { $0 }
        case .activationForward(let s): return [s.output]
        case .activationBackward(let s): return [s.gradInput].compactMap { $0 }
        case .maxPoolForward(let s): return [s.output] + (s.indices.map { [$0] } ?? [])
        case .avgPoolForward(let s): return [s.output]
        case .maxPoolBackward(let s), .avgPoolBackward(let s): return [s.input]
        case .globalAvgPoolForward(let s): return [s.output]
        case .globalAvgPoolBackward(let s): return [s.input]
        case .embeddingForward(let s): return [s.output]
        case .embeddingBackward(let s): return [s.weight]
        case .sequencePoolForward(let s): return [s.output] + (s.indices.map { [$0] } ?? [])
        case .sequencePoolBackward(let s): return [s.input]
        case .attentionForward(let s): return [s.output, s.qkv, s.probabilities, s.context]
        case .recurrentForward(let s): return [s.output, s.saved]
        case .recurrentBackward(let s):
            return [s.gradInput].compactMap { $0 } + s.gradWeightIH + s.gradWeightHH + s.gradBiasIH + s.gradBiasHH
        case .attentionBackward(let s):
            return [s.gradInput, s.gradInWeight, s.gradInBias, s.gradOutWeight, s.gradOutBias].compactMap { $0 }
        case .conv1dForward(let s): return [s.output]
        case .conv1dBackwardInput(let s): return [s.input]
        case .conv1dBackwardWeight(let s): return [s.weight]
        case .pool1dForward(let s): return [s.output] + (s.indices.map { [$0] } ?? [])
        case .pool1dBackward(let s): return [s.input]
        case .transpose(let s): return [s.output]
        case .dropoutForward(let s): return [s.output, s.mask]
        case .dropoutBackward(let s): return [s.input]
        case .add(let s), .mul(let s): return [s.output]
        case .scale(let s): return [s.output]
        case .mulBackward(let s): return [s.gradA, s.gradB].compactMap { $0 }
        case .concat(let s): return [s.whole]
        case .concatBackward(let s): return s.parts
        case .copy(let s): return [s.destination]
        case .softmaxForward(let s): return [s.output]
        case .softmaxBackward(let s): return [s.gradInput].compactMap { $0 }
        case .lossForward(let s), .lossBackward(let s): return [s.output]
        case .optimizerUpdate(let s): return [s.param] + (s.state.map { [$0] } ?? [])
        case .weightedSumForward(let s): return [s.output].compactMap { $0 }
        case .weightedSumBackward(let s): return s.gradInputs.compactMap { $0 } + [s.gradWeights].compactMap { $0 }
        }
    }

    /// Per slot, the guard shared by every step that writes it (`nil` when a writer is unguarded, writers differ,
    /// or nothing writes it). A slot whose writer guard fails holds a stale value.
    public func writerGuards() -> [StepGuard?] {
        var g = [StepGuard?](repeating: nil, count: slots.count)
        var seen = [Bool](repeating: false, count: slots.count), mixed = [Bool](repeating: false, count: slots.count)
        for st in steps {
            for w in Set(Self.writtenSlots(st.kernel)) where w >= 0 && w < slots.count {
                if !seen[w] { seen[w] = true; g[w] = st.guardedBy } else if g[w] != st.guardedBy { mixed[w] = true }
            }
        }
        for i in slots.indices where mixed[i] { g[i] = nil }
        return g
    }

    /// The guards of the terms of a weighted-sum step or an unguarded `add`: term `k` is live only when the guard of
    /// its input's writers holds (`nil` = always live: an unguarded value, a parameter; empty for other steps). The
    /// executor skips dead terms in forward and backward, so a sum never reads an unselected candidate's stale value.
    public func termGuards(step index: Int, writerGuards: [StepGuard?]) -> [StepGuard?] {
        switch steps[index].kernel {
        case .weightedSumForward(let w), .weightedSumBackward(let w):
            return w.inputs.map { $0 >= 0 && $0 < writerGuards.count ? writerGuards[$0] : nil }
        case .add(let a) where steps[index].guardedBy == nil:
            return a.inputs.map { $0 >= 0 && $0 < writerGuards.count ? writerGuards[$0] : nil }
        default: return []
        }
    }
}

extension Plan {
    /// True when step `k` reads `slot` only as a sum term that the executor skips when the slot's writers did not
    /// run (see ``termGuards(step:writerGuards:)``): an input of a weighted sum or of an unguarded `add`.
    public func readsAsTerm(step k: Int, _ slot: SlotID) -> Bool { Self.readsAsTerm(steps[k], slot) }

    /// ``readsAsTerm(step:_:)`` for a step.
    public static func readsAsTerm(_ step: PlanStep, _ slot: SlotID) -> Bool {
        switch step.kernel {
        case .weightedSumForward(let w), .weightedSumBackward(let w):
            return w.inputs.contains(slot) && w.weights != slot && w.gradOutput != slot && w.output != slot
                && !w.gradInputs.contains(slot) && w.gradWeights != slot
        case .add(let a):
            return step.guardedBy == nil && a.inputs.contains(slot) && a.output != slot
        default: return false
        }
    }
}
