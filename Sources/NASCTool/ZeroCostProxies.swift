// ZeroCostProxies: synflow, NASWOT, grad_norm, snip, jacob_cov, params and FLOPs of an architecture, computed by
// nasc's own executor from one mini-batch at initialization (no training).
import Foundation
import NASCData
import NASCExperiment
import NASCIR
import NASCKernels
import NASCPasses
import NASCRuntime

/// A zero-cost proxy: a score of an untrained network that is meant to rank architectures like their trained accuracy.
///
/// Definitions follow the reference code of the papers (Abdelfattah et al. 2021, "Zero-Cost Proxies for Lightweight
/// NAS", `foresight/pruners/measures`; Mellor et al. 2021, "Neural Architecture Search without Training"; NASLib's
/// `predictors/utils/pruners/measures`). Sums run over the weights of every `conv2d` and `linear` (not biases, not
/// batch norm), as the references' `get_layer_metric_array` over `Conv2d`/`Linear` layers.
public enum ZeroCostProxy: String, CaseIterable, Sendable, Hashable {
    /// `sum |theta * d sum(f(1)) / d theta|` with every parameter replaced by its absolute value, an all-ones input
    /// of batch 1 and the batch norms removed (the reference's `bn=False` copy): Tanaka et al.'s synaptic flow.
    case synflow
    /// `log |det K|`, `K[i][j]` = the number of ReLU units on which samples `i` and `j` agree (both active or both
    /// inactive): units minus the Hamming distance of their binary activation codes, over every ReLU (train mode).
    case naswot
    /// `sum over layers of ||dL/dW||_2`, cross-entropy on the batch (train mode).
    case gradNorm = "grad_norm"
    /// `sum |W * dL/dW|` (SNIP's connection sensitivity), cross-entropy on the batch (train mode).
    case snip
    /// `-sum_i (log(v_i + k) + 1 / (v_i + k))`, `k = 1e-5`, over the eigenvalues `v_i` of the correlation matrix of the
    /// per-sample input gradients of `sum(output)` (train mode); undefined (NaN) when a sample's gradient is constant.
    case jacobCov = "jacob_cov"
    /// Parameters of the subnet (as `nasc inspect` counts them).
    case params
    /// FLOPs per sample of the subnet (as `nasc inspect` counts them).
    case flops

    /// Parses a comma-separated list (`synflow,naswot`); `all` is every proxy. Throws naming `flag`.
    public static func list(_ text: String, flag: String) throws -> [ZeroCostProxy] {
        if text == "all" { return allCases }
        var out: [ZeroCostProxy] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let p = ZeroCostProxy(rawValue: word) else {
                throw DiagnosticError(.error("unknown proxy '\(word)' (expected \(allCases.map(\.rawValue).joined(separator: ", ")) or all)",
                                             at: SourceLocation(file: flag)))
            }
            if !out.contains(p) { out.append(p) }
        }
        return out
    }

    /// Whether the proxy needs the data batch and an executor (params and FLOPs are counted from the graph).
    var needsExecutor: Bool { self != .params && self != .flops }
}

/// Computes zero-cost proxies of architectures of a space on one fixed mini-batch.
public struct ZeroCostScorer {
    /// The batch every architecture is scored on: `count` samples of the training split.
    public let features: [Float]
    public let labels: [Int64]
    public let count: Int
    /// Seed of the parameter initialization.
    public let seed: UInt64
    /// Replaces the seeded initialization (tests load reference weights this way); called on each fresh executor.
    public var initialize: ((Executor) throws -> Void)?

    /// A scorer on a batch of `batchSize` training samples of `data` (normalized as for training; the validation
    /// split of the default fraction is held out first), drawn with `seed`, which also seeds the initialization.
    public init(data: String, batchSize: Int, seed: UInt64) throws {
        var settings = TrainingSettings(data: data, batchSize: batchSize, seed: seed)
        settings.validationFraction = 0.1
        let train = try ArchitectureTraining.loadNormalizedData(settings).train
        guard train.isClassification else {
            throw DiagnosticError(.error("zero-cost proxies need a classification data set; '\(data)' has regression targets",
                                         at: SourceLocation(file: "--data")))
        }
        var rng = SeededGenerator(seed: seed)
        let indices = Array(rng.permutation(train.count).prefix(batchSize))
        var f = [Float](repeating: 0, count: indices.count * train.sampleSize)
        var l = [Int32](repeating: 0, count: indices.count)
        f.withUnsafeMutableBufferPointer { fb in l.withUnsafeMutableBufferPointer { lb in train.gather(indices, features: fb, labels: lb) } }
        self.init(features: f, labels: l.map(Int64.init), count: indices.count, seed: seed)
    }

    /// A scorer on a given batch (`count` samples, flattened features).
    public init(features: [Float], labels: [Int64], count: Int, seed: UInt64) {
        self.features = features; self.labels = labels; self.count = count; self.seed = seed
    }

    /// The proxies of the architecture `arch` of `space`; a proxy that is undefined for it (e.g. jacob_cov of a network
    /// whose output does not depend on its input) is NaN. Throws when the subnet cannot be built or run.
    public func scores(_ space: ModelSpace, _ arch: Architecture, proxies: [ZeroCostProxy]) throws -> [ZeroCostProxy: Double] {
        let subnet = try ArchitectureTraining.subnet(space, arch)
        return try scores(subnet: subnet, proxies: proxies)
    }

    /// The proxies of a typed subnet (``ArchitectureTraining/subnet(_:_:timer:)``).
    public func scores(subnet: ModelSpace, proxies: [ZeroCostProxy]) throws -> [ZeroCostProxy: Double] {
        var out: [ZeroCostProxy: Double] = [:]
        if proxies.contains(.params) || proxies.contains(.flops) {
            let c = OpCost.graphCost(graph: subnet.root, in: subnet)
            if proxies.contains(.params) { out[.params] = c.map { Double($0.params) } ?? .nan }
            if proxies.contains(.flops) { out[.flops] = c.map { Double($0.flops) } ?? .nan }
        }
        let runtime = proxies.filter(\.needsExecutor)
        if runtime.isEmpty { return out }
        Kernels.setThreads(1)
        if runtime.contains(where: { $0 != .synflow }) {
            let executor = try makeExecutor(subnet)
            if runtime.contains(.naswot) { out[.naswot] = try naswot(executor) }
            if runtime.contains(.gradNorm) || runtime.contains(.snip) {
                try executor.computeGradients(data: features, labels: labels, batch: count)
                let layers = Self.weightedLayers(executor)
                if runtime.contains(.gradNorm) {
                    out[.gradNorm] = layers.reduce(0.0) { s, l in s + (l.grad.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot() }
                }
                if runtime.contains(.snip) {
                    out[.snip] = layers.reduce(0.0) { s, l in s + zip(l.weight, l.grad).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) } }
                }
            }
            if runtime.contains(.jacobCov) { out[.jacobCov] = try jacobCov(executor) }
        }
        if runtime.contains(.synflow) { out[.synflow] = try synflow(subnet) }
        return out
    }

    /// A fresh executor of the training plan (cross-entropy; no fusion and no memory planning, so every activation
    /// and gradient keeps its own buffer), initialized from the seed or by ``initialize``.
    func makeExecutor(_ subnet: ModelSpace) throws -> Executor {
        let options = PlanOptions(optimizer: .sgd(learningRate: 0)).with(fuse: false)
        let plan = try PlanCompiler.compile(subnet, training: true, options: options, memoryPlan: nil)
        let executor = try Executor(plan: plan, seed: seed)
        try initialize?(executor)
        return executor
    }

    /// The weight and its gradient of every conv2d and linear step, in plan order.
    static func weightedLayers(_ e: Executor) -> [(weight: [Float], grad: [Float])] {
        var gradientOf: [SlotID: SlotID] = [:]
        for g in e.plan.gradients { gradientOf[g.parameter] = g.gradient }
        var out: [(weight: [Float], grad: [Float])] = []
        for i in e.plan.forwardSteps {
            let w: SlotID
            switch e.plan.steps[i].kernel {
            case .convForward(let s): w = s.weight
            case .linearForward(let s): w = s.weight
            default: continue
            }
            let weight = e.values(of: w)
            // A layer the output does not depend on gets no gradient (PyTorch: `grad is None` -> zeros).
            let grad = gradientOf[w].map { e.values(of: $0) } ?? [Float](repeating: 0, count: weight.count)
            out.append((weight, grad))
        }
        return out
    }

    /// NASWOT: forward in train mode, then the log-determinant of the agreement kernel of the ReLU codes.
    func naswot(_ e: Executor) throws -> Double {
        try e.forward(data: features, batch: count, mode: .train)
        let n = count
        var k = [Double](repeating: 0, count: n * n)
        for i in e.plan.forwardSteps {
            guard case .activationForward(let s) = e.plan.steps[i].kernel, s.function == .relu else { continue }
            let v = e.values(of: s.output)
            let units = v.count / n
            for a in 0..<n {
                for b in a..<n {
                    var agree = 0
                    let pa = a * units, pb = b * units
                    for u in 0..<units where (v[pa + u] > 0) == (v[pb + u] > 0) { agree += 1 }
                    k[a * n + b] += Double(agree)
                    if a != b { k[b * n + a] += Double(agree) }
                }
            }
        }
        return ProxyMath.logAbsDeterminant(k, n)
    }

    /// jacob_cov: the input gradients of `sum(output)` in train mode, scored by their correlation spectrum.
    func jacobCov(_ e: Executor) throws -> Double {
        try e.forward(data: features, batch: count, mode: .train)
        try e.backward(data: features, outputGradient: [Float](repeating: 1, count: e.output.count), batch: count, mode: .train)
        // No trainable layer reads the data when nothing depends on it: the Jacobian is zero and the score undefined.
        guard !e.plan.gradients.isEmpty else { return .nan }
        let j = try e.inputGradient()
        return ProxyMath.jacobianCovarianceScore(j.map(Double.init), rows: count)
    }

    /// synflow on the subnet without batch norm, all parameters made non-negative, input all ones, batch 1.
    func synflow(_ subnet: ModelSpace) throws -> Double {
        var plain = subnet
        for var g in plain.graphs {
            var changed = false
            for i in g.nodes.indices { if case .batchNorm = g.nodes[i].op { g.nodes[i].op = .identity; changed = true } }
            if changed { plain.update(g) }
        }
        let e = try makeExecutor(plain)
        for name in e.parameterNames { if let v = e.parameter(name) { try e.setParameter(name, v.map { abs($0) }) } }
        let sample = features.count / max(1, count)
        let ones = [Float](repeating: 1, count: sample)
        try e.forward(data: ones, batch: 1, mode: .train)
        try e.backward(data: ones, outputGradient: [Float](repeating: 1, count: e.output.count), batch: 1, mode: .train)
        return Self.weightedLayers(e).reduce(0.0) { s, l in s + zip(l.weight, l.grad).reduce(0.0) { $0 + abs(Double($1.0) * Double($1.1)) } }
    }
}
