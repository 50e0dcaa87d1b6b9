// BenchRunner: compiles one benchmark model with PlanCompiler and times warm-up + timed training or inference steps.
import Foundation
import NASCIR
import NASCPasses
import NASCRuntime
import NASCKernels

/// Options of one benchmark run (one model, one mode, one thread count).
struct BenchOptions {
    var model = "a"
    var mode = "train"
    var threads = 1
    var batch = 64
    var warmup = 5
    var iters = 30
    var json: String?
    /// Print a per-kernel time breakdown of a few extra profiled steps.
    var profile = false
    /// Time the convolution kernels on the models' shapes instead of a model (`--conv-kernels`: ConvKernelBench).
    var convKernels = false
    /// The text-IR space of a supernet model, compiled with the supernet pass (default: model (b)'s, or (b2)'s
    /// two-choice version for `--model b2`).
    var supernetSpace: String?

    /// The supernet space file of `model` (nil for the fixed models a and c).
    var supernetPath: String? {
        switch model {
        case "b": return supernetSpace ?? "scripts/bench/bench_b_supernet.nir"
        case "b2": return supernetSpace ?? "scripts/bench/bench_b2_supernet.nir"
        default: return nil
        }
    }
}

/// Runs one benchmark and returns its result as a JSON-ready dictionary (same keys as torch_ref.py where they overlap).
enum BenchRunner {
    /// The model space, its input shape `[C, H, W]` and its pipeline options (torch_ref.py's optimizer settings).
    static func model(_ name: String) -> (space: ModelSpace, input: [Int], options: PlanOptions)? {
        switch name {
        case "a": return (BenchModels.mnist(), [1, 28, 28], .sgd(lr: 0.01, momentum: 0.9))
        case "c": return (BenchModels.subnet(), [3, 32, 32], .sgd(lr: 0.025, momentum: 0.9))
        case "attn64": return (BenchModels.attention(dim: 64), [64, 64], .sgd(lr: 0.01, momentum: 0.9))
        case "attn128": return (BenchModels.attention(dim: 128), [64, 128], .sgd(lr: 0.01, momentum: 0.9))
        case "lstm": return (BenchModels.recurrent(.lstm), [64, 128], .sgd(lr: 0.01, momentum: 0.9))
        case "gru": return (BenchModels.recurrent(.gru), [64, 128], .sgd(lr: 0.01, momentum: 0.9))
        default: return nil
        }
    }

    /// GEMM floating-point operations of one step of `plan` at batch `n` (conv im2col/pointwise GEMMs and linear layers).
    static func gemmFlops(_ plan: Plan, batch n: Int, training: Bool) -> Double {
        var total = 0.0
        let range = training ? 0..<plan.steps.count : plan.forwardSteps
        for i in range {
            switch plan.steps[i].kernel {
            case .convForward(let s): total += convFlops(s.geometry, batch: n)
            case .convBackwardInput(let s): total += convFlops(s.geometry, batch: n)
            case .convBackwardWeight(let s): total += convFlops(s.geometry, batch: n)
            case .linearForward(let s): total += 2 * Double(n * s.rowsPerSample * s.inFeatures * s.outFeatures)
            case .linearBackwardInput(let s): total += 2 * Double(n * s.rowsPerSample * s.inFeatures * s.outFeatures)
            case .linearBackwardWeight(let s): total += 2 * Double(n * s.rowsPerSample * s.inFeatures * s.outFeatures)
            case .attentionForward(let s): total += attentionFlops(s, batch: n)
            case .attentionBackward(let s): total += 2 * attentionFlops(s, batch: n)
            case .recurrentForward(let s): total += recurrentFlops(s, batch: n)
            case .recurrentBackward(let s): total += 2 * recurrentFlops(s, batch: n)
            default: break
            }
        }
        return total
    }

    /// GEMM flops of an attention forward: the projections (4 T D^2 MACs) and the scores and mix (2 T^2 D MACs).
    static func attentionFlops(_ s: AttentionStep, batch n: Int) -> Double {
        2 * Double(n) * (4 * Double(s.length * s.dim * s.dim) + 2 * Double(s.length * s.length * s.dim))
    }

    /// GEMM flops of a recurrent forward: the input projection and the recurrent products, `G H (D + H)` MACs per step
    /// and direction.
    static func recurrentFlops(_ s: RecurrentStep, batch n: Int) -> Double {
        2 * Double(n * s.directions * s.length * s.gateRows * (s.inputSize + s.hidden))
    }

    /// GEMM flops of one convolution GEMM pass (forward, input gradient or weight gradient: the same count).
    static func convFlops(_ g: ConvGeometry, batch n: Int) -> Double {
        if g.groups > 1 && g.inChannels / g.groups == 1 { return 0 }   // depthwise: direct kernel, no GEMM
        return 2 * Double(n * g.outChannels * g.outHeight * g.outWidth * (g.inChannels / g.groups) * g.kernel * g.kernel)
    }

    static func median(_ v: [Double]) -> Double { let s = v.sorted(); return s.isEmpty ? .nan : s[s.count / 2] }

    static func run(_ o: BenchOptions) throws -> [String: Any] {
        Kernels.setThreads(o.threads)
        let rss0 = BenchProcess.rssMiB()
        var result: [String: Any] = ["impl": "nasc", "model": o.model, "mode": o.mode, "threads": o.threads, "batch": o.batch,
                                     "iters": o.iters, "warmup": o.warmup, "blas_threads": Kernels.threads]
        let training = o.mode != "infer", darts = o.mode == "darts"
        let plan: Plan
        let input: [Int]
        if let path = o.supernetPath {
            // torch_ref.py: weights SGD(lr .025, momentum .9), alphas Adam(lr 3e-4), one joint step. A DARTS step
            // (torch_darts_step.py) adds DARTS' weight decays: SGD 3e-4, Adam(3e-4, betas (.5, .999), wd 1e-3).
            let options = PlanOptions.sgd(lr: 0.025, momentum: 0.9, weightDecay: darts ? 3e-4 : 0)
            plan = try BenchSupernet.compile(path, training: training, options: options)
            input = BenchSupernet.input
        } else if let m = model(o.model), !darts {
            plan = try PlanCompiler.compile(m.space, training: training, options: m.options, memoryPlan: MemoryPlan())
            input = m.input
        } else {
            result["available"] = false
            result["reason"] = darts ? "--mode darts needs a supernet model (b or b2)" : "unknown model '\(o.model)'"
            return result
        }
        let exec = try Executor(plan: plan, seed: 0)
        let n = o.batch
        var rng = SplitMix(state: 42)
        let x = (0..<(n * input.reduce(1, *))).map { _ in rng.normal() }
        let y = (0..<n).map { _ in Int64(rng.next() % 10) }
        let step: () throws -> Void
        if darts {
            // First-order DARTS (NNI's DartsLightningModule.training_step): an architecture step on a validation
            // batch (gradients of everything, Adam on the alphas only), then a weight step on a training batch.
            let arch = try BenchSupernet.ArchAdam(exec, learningRate: 3e-4, beta1: 0.5, weightDecay: 1e-3)
            result["arch_params"] = arch.count
            let xv = (0..<x.count).map { _ in rng.normal() }
            let yv = (0..<n).map { _ in Int64(rng.next() % 10) }
            step = {
                try xv.withUnsafeBufferPointer { d in try yv.withUnsafeBufferPointer { l in _ = try exec.computeGradients(data: d, labels: l, batch: n) } }
                try arch.step(exec)
                try x.withUnsafeBufferPointer { d in try y.withUnsafeBufferPointer { l in _ = try exec.computeGradients(data: d, labels: l, batch: n) } }
                try exec.applyUpdates { !exec.isControlParameter($0) }
            }
        } else if training && !exec.architectureParameterNames.isEmpty {
            let arch = try BenchSupernet.ArchAdam(exec)
            result["arch_params"] = arch.count
            step = {
                try x.withUnsafeBufferPointer { d in try y.withUnsafeBufferPointer { l in _ = try exec.computeGradients(data: d, labels: l, batch: n) } }
                try exec.applyUpdates { !exec.isControlParameter($0) }
                try arch.step(exec)
            }
        } else if training {
            step = { try x.withUnsafeBufferPointer { d in try y.withUnsafeBufferPointer { l in _ = try exec.trainStep(data: d, labels: l, batch: n) } } }
        } else {
            step = { try x.withUnsafeBufferPointer { d in _ = try exec.forward(data: d, labels: nil, batch: n, mode: .eval) } }
        }
        for _ in 0..<o.warmup { try step() }
        let rssWarm = BenchProcess.rssMiB()
        var times: [Double] = []
        times.reserveCapacity(o.iters)
        let cpu0 = BenchProcess.ownCPU(), j0 = BenchProcess.busyJiffies(), w0 = BenchProcess.now()
        for _ in 0..<o.iters {
            let t = BenchProcess.now()
            try step()
            times.append(BenchProcess.now() - t)
        }
        let wall = BenchProcess.now() - w0
        let j1 = BenchProcess.busyJiffies(), cpu1 = BenchProcess.ownCPU()
        let own = cpu1 - cpu0
        let other = max(0, Double(j1 - j0) / BenchProcess.clockTicks - own)
        let st = times.sorted()
        let flops = gemmFlops(plan, batch: n, training: training) * (darts ? 2 : 1)  // a DARTS step is two passes
        result["available"] = true
        result["img_s_median"] = Double(n) / median(times)
        result["img_s_min"] = Double(n) / st.last!
        result["img_s_max"] = Double(n) / st.first!
        result["step_ms_median"] = 1e3 * median(times)
        result["step_ms_min"] = 1e3 * st.first!
        result["step_ms_max"] = 1e3 * st.last!
        result["gemm_gflop_per_step"] = flops * 1e-9
        result["gemm_gflops"] = flops * 1e-9 / median(times)
        result["rss_start_mib"] = rss0
        result["rss_after_warmup_mib"] = rssWarm
        result["peak_rss_mib"] = BenchProcess.peakRSSMiB()
        result["activation_mib"] = Double(plan.activationBytes(batch: n)) / 1048576
        result["own_cpu_util"] = own / wall
        result["others_cpu_pct_of_one_core"] = 100 * other / wall
        result["n_params"] = plan.slots.filter { $0.role == .parameter }.reduce(0) { $0 + $1.size.count(batch: 0) }
        if o.profile { result["profile"] = try profile(exec, plan: plan, x: x, y: training ? y : nil, batch: n, steps: max(3, o.iters / 3)) }
        return result
    }

    /// Median seconds per kernel kind over `steps` profiled steps, plus GEMM GFLOP/s inside the GEMM-backed kernels.
    static func profile(_ exec: Executor, plan: Plan, x: [Float], y: [Int64]?, batch n: Int, steps: Int) throws -> [String: Any] {
        var perStep: [Int: [Double]] = [:]
        for _ in 0..<steps {
            let timings = try x.withUnsafeBufferPointer { d in
                try { () throws -> [Executor.StepTiming] in
                    guard let y else { return try exec.timeSteps(data: d, labels: nil, batch: n) }
                    return try y.withUnsafeBufferPointer { l in try exec.timeSteps(data: d, labels: l, batch: n) }
                }()
            }
            for t in timings { perStep[t.index, default: []].append(t.seconds) }
        }
        var byKind: [String: Double] = [:]
        var rows: [[String: Any]] = []
        for (i, ts) in perStep.sorted(by: { $0.key < $1.key }) {
            let med = median(ts)
            let k = plan.steps[i].kernel
            byKind[k.name, default: 0] += med
            var row: [String: Any] = ["step": i, "kernel": k.name, "ms": med * 1e3]
            let single = Plan(name: plan.name, slots: plan.slots, steps: [plan.steps[i]], forwardSteps: 0..<1, backwardSteps: 1..<1,
                              updateSteps: 1..<1, dataInput: plan.dataInput, labelsInput: plan.labelsInput, logits: plan.logits, loss: plan.loss)
            let f = gemmFlops(single, batch: n, training: false)
            if f > 0 { row["gflops"] = f * 1e-9 / med }
            rows.append(row)
        }
        return ["by_kind_ms": byKind.mapValues { $0 * 1e3 }, "steps": rows]
    }
}

/// SplitMix64 with a Box-Muller normal, for the random input batch.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Float {
        let u1 = max(uniform(), 1e-12), u2 = uniform()
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
