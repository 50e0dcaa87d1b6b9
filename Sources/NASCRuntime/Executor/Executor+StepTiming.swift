// Executor+StepTiming: an opt-in profiler that runs one training or inference step and times each plan step (for benchmarks).
import Foundation
import NASCIR

extension Executor {
    /// The wall time of one plan step.
    public struct StepTiming: Sendable {
        /// Index into ``Plan/steps``.
        public var index: Int
        /// The kernel name (`conv_forward`, ...).
        public var kernel: String
        public var seconds: Double
    }

    /// Runs one full step like ``trainStep(data:labels:batch:)`` (when `labels` are given and the plan trains) or an
    /// eval-mode ``forward(data:labels:batch:mode:)``, timing every plan step separately. Slower than the untimed
    /// entry points by one clock read per step; the normal step loop is untouched.
    public func timeSteps(data: UnsafeBufferPointer<Float>, labels: UnsafeBufferPointer<Int64>?, batch n: Int) throws -> [StepTiming] {
        let training = labels != nil && plan.isTraining
        try load(data: data, labels: training ? labels : nil, batch: n)
        var out: [StepTiming] = []
        out.reserveCapacity(plan.steps.count)
        let range = training ? 0..<plan.steps.count : plan.forwardSteps
        for i in range where training || !isLoss(i) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try run(step: i, training: training)
            let t1 = DispatchTime.now().uptimeNanoseconds
            out.append(StepTiming(index: i, kernel: plan.steps[i].kernel.name, seconds: Double(t1 - t0) * 1e-9))
        }
        if training { stepsTaken += 1; updatesTaken += 1 }
        return out
    }
}
