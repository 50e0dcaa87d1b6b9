// Executor+Weights: loading a model's trained weights (parameters and state) from a checkpoint into any plan of it.
import NASCIR

extension Executor {
    /// Copies every parameter and state tensor (batchnorm running statistics) of the plan from `c`, by name, and
    /// leaves optimizer state and counters alone: how `nasc predict`, `nasc eval`, `nasc export` and
    /// `nasc train --init-from` use saved weights. Names and shapes must match exactly both ways; the error lists
    /// every mismatch (parameter, expected shape, found shape) in one line and nothing is changed.
    public func loadWeights(from c: Checkpoint) throws {
        let issues = WeightMatch.issues(plan: plan, checkpoint: c)
        guard issues.isEmpty else { throw ExecutorError.error(WeightMatch.message(issues)) }
        var byName: [String: Checkpoint.Tensor] = [:]
        for t in c.tensors where t.role == .parameter || t.role == .state { byName[t.name] = t }
        for i in plan.persistentSlots where plan.slots[i].role != .optimizerState {
            let v = byName[plan.slots[i].name]!.values
            memory.f32(i).update(from: v, count: v.count)
        }
    }
}

/// Compares a checkpoint's parameter and state tensors with a plan's, by name and shape.
public enum WeightMatch {
    /// The fixed shape of a persistent slot.
    public static func shape(of slot: PlanSlot) -> [Int] { slot.shape.map { $0.value ?? 0 } }

    /// `[16, 1, 3, 3]`.
    public static func format(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    /// Every difference between the plan's parameter/state slots and the checkpoint's, in plan order then file
    /// order, plus the first non-finite value of each tensor the plan would load. Empty when the weights fit.
    public static func issues(plan: Plan, checkpoint c: Checkpoint) -> [String] {
        var issues: [String] = []
        var byName: [String: Checkpoint.Tensor] = [:]
        for t in c.tensors where t.role == .parameter || t.role == .state {
            if byName.updateValue(t, forKey: t.name) != nil { issues.append("'\(t.name)' appears twice") }
        }
        var wanted = Set<String>()
        for i in plan.persistentSlots where plan.slots[i].role != .optimizerState {
            let s = plan.slots[i]
            wanted.insert(s.name)
            let expected = shape(of: s)
            guard let t = byName[s.name] else {
                issues.append("'\(s.name)' \(format(expected)) is missing")
                continue
            }
            let count = expected.reduce(1, *)
            if !t.shape.isEmpty && t.shape != expected {
                issues.append("'\(s.name)' expected \(format(expected)), found \(format(t.shape))")
            } else if t.values.count != count {
                issues.append("'\(s.name)' expected \(format(expected)) (\(count) values), found \(t.values.count) values")
            } else if t.role != s.role {
                issues.append("'\(s.name)' is \(t.role.rawValue) in the file, \(s.role.rawValue) in the model")
            } else if let k = t.values.firstIndex(where: { !$0.isFinite }) {
                issues.append("'\(s.name)' has a non-finite value (\(t.values[k])) at index \(k)")
            }
        }
        for t in c.tensors where (t.role == .parameter || t.role == .state) && !wanted.contains(t.name) {
            issues.append("'\(t.name)' \(format(t.shape)) is not in the model")
        }
        return issues
    }

    /// One line: `weights do not fit the model (2 mismatches): 'a.weight' expected [..], found [..]; ...`.
    public static func message(_ issues: [String]) -> String {
        let n = issues.count
        return "weights do not fit the model (\(n) mismatch\(n == 1 ? "" : "es")): " + issues.joined(separator: "; ")
    }
}
