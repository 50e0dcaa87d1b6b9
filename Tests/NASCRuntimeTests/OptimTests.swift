// OptimTests: SGD, Adam/AdamW, learning-rate schedules and gradient clipping against PyTorch reference runs
// (fixtures written by scripts/torch_optim_fixtures.py into Fixtures/optim).
import Foundation
import NASCIR
import NASCPasses
import NASCRuntime
import Testing

/// The fixture directory, found relative to this source file.
private let fixtureDirectory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/optim")

private func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let data = try Data(contentsOf: fixtureDirectory.appendingPathComponent(name + ".json"))
    return try JSONDecoder().decode(T.self, from: data)
}

/// `|a - b| <= 1e-6 * max(|b|, 1e-3)`: relative within float32 rounding, with a floor for values near zero.
private func close(_ a: [Float], _ b: [Double], rel: Double = 1e-6) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= rel * max(abs($1), 1e-3) }
}

private struct OptimizerFixture: Decodable {
    struct Hyper: Decodable {
        var lr: Double
        var momentum: Double?
        var dampening: Double?
        var nesterov: Bool?
        var weight_decay: Double?
        var betas: [Double]?
        var eps: Double?
    }
    struct Step: Decodable {
        var lr: Double
        var grads: [[Double]?]
        var params: [[Double]]
    }
    struct State: Decodable {
        var momentum_buffer: [Double]?
        var exp_avg: [Double]?
        var exp_avg_sq: [Double]?
        var step: Int?
    }
    var kind: String
    var hyper: Hyper
    var initial: [[Double]]
    var steps: [Step]
    var final_state: [State]
}

private struct ScheduleFixture: Decodable {
    struct Decay: Decodable {
        var kind: String
        var t_max: Int?
        var eta_min: Double?
        var step_size: Int?
        var gamma: Double?
    }
    struct Warmup: Decodable {
        var steps: Int
        var start_factor: Double
    }
    var base_lr: Double
    var decay: Decay
    var warmup: Warmup?
    var lrs: [Double]
}

private struct ClipFixture: Decodable {
    var max_norm: Double
    var grads: [[Double]]
    var total_norm: Double
    var clipped: [[Double]]
}

@Suite struct OptimTests {
    fileprivate func optimizer(for f: OptimizerFixture) throws -> any ParameterOptimizer {
        let h = f.hyper
        switch f.kind {
        case "sgd":
            return try SGD(learningRate: h.lr, momentum: h.momentum ?? 0, dampening: h.dampening ?? 0,
                           nesterov: h.nesterov ?? false, weightDecay: h.weight_decay ?? 0)
        case "adam", "adamw":
            let betas = h.betas ?? [0.9, 0.999]
            return try Adam(learningRate: h.lr, beta1: betas[0], beta2: betas[1], epsilon: h.eps ?? 1e-8,
                            weightDecay: h.weight_decay ?? (f.kind == "adamw" ? 0.01 : 0),
                            decoupledWeightDecay: f.kind == "adamw")
        default:
            throw DiagnosticError(.error("unknown optimizer kind \(f.kind)"))
        }
    }

    @Test(arguments: [
        "sgd_plain", "sgd_momentum", "sgd_momentum_dampening", "sgd_nesterov_weight_decay",
        "sgd_momentum_weight_decay_varying_lr_skip",
        "adam_default", "adam_weight_decay", "adamw", "adamw_varying_lr_skip",
    ])
    func matchesPyTorch(_ name: String) throws {
        let f = try loadFixture(name, as: OptimizerFixture.self)
        let opt = try optimizer(for: f)
        var params = f.initial.map { $0.map(Float.init) }
        var states = params.map { [Float](repeating: 0, count: $0.count * opt.stateBuffersPerParameter) }
        var stepCounts = [Int](repeating: 0, count: params.count)
        for (s, step) in f.steps.enumerated() {
            for i in params.indices {
                guard let grad = step.grads[i] else { continue } // no gradient: PyTorch skips the parameter
                stepCounts[i] += 1
                opt.step(parameter: &params[i], gradient: grad.map(Float.init), state: &states[i],
                         step: stepCounts[i], learningRate: step.lr)
            }
            for i in params.indices {
                #expect(close(params[i], step.params[i]), "\(name) step \(s) param \(i): \(params[i]) vs \(step.params[i])")
            }
        }
        for (i, st) in f.final_state.enumerated() {
            let n = params[i].count
            if let mb = st.momentum_buffer {
                #expect(close(Array(states[i][0..<n]), mb), "\(name) momentum buffer \(i)")
            }
            if let m = st.exp_avg, let v = st.exp_avg_sq {
                #expect(close(Array(states[i][0..<n]), m), "\(name) exp_avg \(i)")
                #expect(close(Array(states[i][n..<(2 * n)]), v), "\(name) exp_avg_sq \(i)")
                #expect(st.step == stepCounts[i])
            }
        }
    }

    @Test(arguments: ["cosine", "step", "warmup_cosine", "warmup_step", "warmup_constant"])
    func schedulesMatchPyTorch(_ name: String) throws {
        let f = try loadFixture(name, as: ScheduleFixture.self)
        let decay: LRSchedule.Decay
        switch f.decay.kind {
        case "cosine": decay = .cosine(tMax: f.decay.t_max ?? 0, etaMin: f.decay.eta_min ?? 0)
        case "step": decay = .step(stepSize: f.decay.step_size ?? 0, gamma: f.decay.gamma ?? 0)
        default: decay = .constant
        }
        let schedule = try LRSchedule(baseLearningRate: f.base_lr, decay: decay, warmupSteps: f.warmup?.steps ?? 0,
                                      warmupStartFactor: f.warmup?.start_factor ?? 1.0 / 3.0)
        for (t, expected) in f.lrs.enumerated() {
            let lr = schedule.learningRate(at: t)
            #expect(abs(lr - expected) <= 1e-9 * max(abs(expected), 1e-3), "\(name) t=\(t): \(lr) vs \(expected)")
        }
    }

    @Test(arguments: ["clip_large", "clip_small"])
    func clippingMatchesPyTorch(_ name: String) throws {
        let f = try loadFixture(name, as: ClipFixture.self)
        var grads = f.grads.map { $0.map(Float.init) }
        let pointers = grads.indices.map { i in
            let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: grads[i].count)
            _ = p.initialize(from: grads[i])
            return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        let total = GradClip.clipByGlobalNorm(pointers, maxNorm: f.max_norm)
        #expect(abs(Double(total) - f.total_norm) <= 1e-6 * f.total_norm)
        for i in grads.indices {
            grads[i] = Array(pointers[i])
            #expect(close(grads[i], f.clipped[i]), "\(name) grad \(i)")
        }
        if f.max_norm < f.total_norm {
            #expect(abs(Double(GradClip.globalNorm(pointers)) - f.max_norm) < 1e-5)
        }
    }

    @Test func clippingPropagatesNonFiniteNorms() {
        let p = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2)
        defer { p.deallocate() }
        p[0] = .infinity
        p[1] = 1
        let total = GradClip.clipByGlobalNorm([p], maxNorm: 1)
        #expect(!total.isFinite)
        #expect(p[1].isNaN || p[1] == 0)
    }

    @Test func sgdWithoutMomentumNeedsNoState() throws {
        let sgd = try SGD(learningRate: 0.5)
        #expect(sgd.stateBuffersPerParameter == 0)
        var p: [Float] = [1, 2]
        var s: [Float] = []
        sgd.step(parameter: &p, gradient: [2, -2], state: &s, step: 1)
        #expect(p == [0, 3])
        #expect(try SGD(learningRate: 0.1, momentum: 0.9).stateBuffersPerParameter == 1)
        #expect(try Adam().stateBuffersPerParameter == 2)
    }

    @Test func invalidHyperParametersAreDiagnosed() {
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as DiagnosticError { return e.diagnostics.first?.message } catch { return nil }
        }
        #expect(message { _ = try SGD(learningRate: -1) } == "invalid learning rate -1.0: must not be negative")
        #expect(message { _ = try SGD(learningRate: 0.1, nesterov: true) }
            == "Nesterov momentum requires a positive momentum and zero dampening")
        #expect(message { _ = try SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) } != nil)
        #expect(message { _ = try Adam(beta1: 1.0) } == "invalid beta1 1.0: must be in [0, 1)")
        #expect(message { _ = try Adam(epsilon: -1) } != nil)
        #expect(message { _ = try Adam.adamW(weightDecay: -0.1) } == "invalid weight decay -0.1: must not be negative")
        #expect(message { _ = try LRSchedule(baseLearningRate: 0.1, decay: .cosine(tMax: 0, etaMin: 0)) }
            == "cosine schedule needs a positive T_max, got 0")
        #expect(message { _ = try LRSchedule(baseLearningRate: 0.1, decay: .step(stepSize: 0, gamma: 0.1)) } != nil)
        #expect(message { _ = try LRSchedule(baseLearningRate: 0.1, warmupSteps: 2, warmupStartFactor: 0) } != nil)
    }
}

private struct PerIterationFixture: Decodable {
    var base_lr: Double
    var epochs: Int
    var samples: Int
    var batch_size: Int
    var lrs: [Double]
}

extension TrainerTests {
    /// A Trainer stepping the cosine schedule per batch (horizon epochs x batches) trains every batch with the rate
    /// PyTorch's per-iteration CosineAnnealingLR gives it, across epoch boundaries and a partial last batch.
    @Test func perIterationCosineMatchesPyTorch() throws {
        let f = try loadFixture("cosine_per_iteration", as: PerIterationFixture.self)
        let batches = (f.samples + f.batch_size - 1) / f.batch_size
        let plan = try PlanCompiler.compile(net(), training: true, options: PlanOptions.sgd(lr: f.base_lr))
        let schedule = try LRSchedule(baseLearningRate: f.base_lr, decay: .cosine(tMax: f.epochs * batches, etaMin: 0))
        let trainer = try Trainer(executor: try Executor(plan: plan, seed: 1), training: try data(f.samples, seed: 3),
                                  config: TrainerConfig(epochs: f.epochs, batchSize: f.batch_size, seed: 2, schedule: schedule,
                                                        scheduleUnit: .batch))
        var lrs: [Double] = []
        try trainer.run { e in if case .batch(let p) = e { lrs.append(p.learningRate) } }
        #expect(lrs.count == f.lrs.count)
        for (i, (a, b)) in zip(lrs, f.lrs).enumerated() { #expect(abs(a - b) <= 1e-9 * max(b, 1e-3), "batch \(i): \(a) vs \(b)") }
        // Per epoch instead, the rate only changes between epochs.
        let perEpoch = try Trainer(executor: try Executor(plan: plan, seed: 1), training: try data(f.samples, seed: 3),
                                   config: TrainerConfig(epochs: f.epochs, batchSize: f.batch_size, seed: 2,
                                                         schedule: try LRSchedule(baseLearningRate: f.base_lr, decay: .cosine(tMax: f.epochs, etaMin: 0))))
        var epochLRs: [Double] = []
        try perEpoch.run { e in if case .batch(let p) = e { epochLRs.append(p.learningRate) } }
        #expect(Set(epochLRs).count == f.epochs)
    }
}
