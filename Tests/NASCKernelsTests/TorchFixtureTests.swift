// TorchFixtureTests: every kernel, forward and backward, against PyTorch outputs stored in Fixtures/torch_fixtures.bin.
// Regenerate the fixtures with `python3 scripts/torch_fixtures.py` (needs torch); these tests only read them.
// Tolerance: `Tolerance.rtol` = 1e-4 relative per element, floored at the tensor's RMS (see TestSupport.swift).
import Testing
@testable import NASCKernels

/// Loads tensors of one fixture case and tracks the worst error seen.
struct FixtureCase {
    let name: String
    var worst = 0.0

    init(_ name: String) { self.name = name }

    func tensor(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Float] {
        let t = TorchFixtures.tensor(name, key)
        #expect(t != nil, "fixture \(name)/\(key) missing", sourceLocation: sourceLocation)
        return t?.data ?? []
    }

    func config(sourceLocation: SourceLocation = #_sourceLocation) -> [Int] {
        tensor("cfg", sourceLocation: sourceLocation).map { Int($0) }
    }

    mutating func check(_ actual: [Float], _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = tensor(key, sourceLocation: sourceLocation)
        worst = max(worst, expectClose(actual, expected, "\(name)/\(key) vs torch", sourceLocation: sourceLocation))
    }

    func report() { print("torch fixture \(name): max normalized error \(worst)") }
}

@Suite struct TorchFixtureTests {
    static let convCases = ["conv_basic", "conv_s2p1", "conv_dil2", "conv_g2", "conv_dw", "conv_dw_s2m2", "conv_1x1", "conv_rect"]
    static let allCases = convCases + ["linear", "bn_train", "bn_train_1d", "bn_eval", "layernorm", "maxpool_k3s2p1",
                                       "maxpool_k2s2", "maxpool_ties", "avgpool_k3s2p1_incl", "avgpool_k3s2p1_excl",
                                       "avgpool_k2s1p1_excl", "gap", "ew_add", "ew_mul", "concat", "dropout", "softmax", "log_softmax", "ce",
                                       "ce_smooth", "nll", "embedding", "seqpool_mean", "seqpool_max"] + SequenceWindowKernelTests.convCases
                                       + SequenceWindowKernelTests.poolCases + ActivationKind.allCases.map { "act_\($0.rawValue)" }

    @Test func fixtureFileHasEveryCase() {
        #expect(TorchFixtures.all != nil, "cannot read \(TorchFixtures.url.path)")
        let missing = Set(Self.allCases).subtracting(TorchFixtures.cases)
        #expect(missing.isEmpty, "missing fixture cases: \(missing.sorted())")
    }

    @Test(arguments: convCases) func conv2d(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        guard c.count == 15 else { Issue.record("bad cfg for \(name)"); return }
        let s = Conv2DShape(batch: c[0], inChannels: c[1], inHeight: c[2], inWidth: c[3], outChannels: c[4],
                            kernel: (c[5], c[6]), stride: (c[7], c[8]), padding: (c[9], c[10]), dilation: (c[11], c[12]),
                            groups: c[13])
        #expect(s.isValid)
        let hasBias = c[14] == 1
        let run = ConvRun(ConvCase(name: name, shape: s, bias: hasBias), x: f.tensor("x"), w: f.tensor("w"),
                          b: hasBias ? f.tensor("b") : nil, gy: f.tensor("gy"))
        f.check(run.y, "y")
        f.check(run.gx, "gx")
        f.check(run.gw, "gw")
        if hasBias { f.check(run.gb, "gb") }
        f.report()
    }

    @Test func linear() {
        var f = FixtureCase("linear")
        let c = f.config()
        let s = LinearShape(batch: c[0], inFeatures: c[1], outFeatures: c[2])
        let x = f.tensor("x"), w = f.tensor("w"), b = f.tensor("b"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: s.batch * s.outFeatures)
        var gx = [Float](repeating: .nan, count: x.count), gw = [Float](repeating: .nan, count: w.count)
        var gb = [Float](repeating: .nan, count: b.count)
        Linear.forward(shape: s, input: x, weight: w, bias: b, output: &y)
        Linear.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx)
        Linear.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw)
        Linear.backwardBias(shape: s, gradOutput: gy, gradBias: &gb)
        f.check(y, "y"); f.check(gx, "gx"); f.check(gw, "gw"); f.check(gb, "gb")
        f.report()
    }

    @Test(arguments: ["bn_train", "bn_train_1d", "bn_eval"]) func batchNorm(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = BatchNormShape(batch: c[0], channels: c[1], spatial: c[2])
        let training = c[3] == 1
        let x = f.tensor("x"), gamma = f.tensor("gamma"), beta = f.tensor("beta"), gy = f.tensor("gy")
        var rm = f.tensor("rm0"), rv = f.tensor("rv0")
        var y = [Float](repeating: .nan, count: s.count), gx = y
        var gGamma = [Float](repeating: .nan, count: s.channels), gBeta = gGamma
        if training {
            var mean = [Float](repeating: .nan, count: s.channels), invStd = mean
            BatchNorm.forwardTraining(shape: s, input: x, gamma: gamma, beta: beta, output: &y, runningMean: &rm,
                                      runningVar: &rv, momentum: 0.1, epsilon: 1e-5, savedMean: &mean, savedInvStd: &invStd)
            BatchNorm.backwardTraining(shape: s, input: x, gradOutput: gy, gamma: gamma, savedMean: mean, savedInvStd: invStd,
                                       gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        } else {
            BatchNorm.forwardInference(shape: s, input: x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv,
                                       epsilon: 1e-5, output: &y)
            BatchNorm.backwardInference(shape: s, input: x, gradOutput: gy, gamma: gamma, runningMean: rm, runningVar: rv,
                                        epsilon: 1e-5, gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        }
        f.check(y, "y"); f.check(rm, "rm1"); f.check(rv, "rv1")
        f.check(gx, "gx"); f.check(gGamma, "ggamma"); f.check(gBeta, "gbeta")
        f.report()
    }

    @Test func layerNorm() {
        var f = FixtureCase("layernorm")
        let c = f.config()
        let s = LayerNormShape(rows: c[0], features: c[1])
        let x = f.tensor("x"), gamma = f.tensor("gamma"), beta = f.tensor("beta"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: x.count), gx = y
        var mean = [Float](repeating: .nan, count: s.rows), invStd = mean
        var gGamma = [Float](repeating: .nan, count: s.features), gBeta = gGamma
        LayerNorm.forward(shape: s, input: x, gamma: gamma, beta: beta, epsilon: 1e-5, output: &y, savedMean: &mean,
                          savedInvStd: &invStd)
        LayerNorm.backward(shape: s, input: x, gradOutput: gy, gamma: gamma, savedMean: mean, savedInvStd: invStd,
                           gradInput: &gx, gradGamma: &gGamma, gradBeta: &gBeta)
        f.check(y, "y"); f.check(gx, "gx"); f.check(gGamma, "ggamma"); f.check(gBeta, "gbeta")
        f.report()
    }

    @Test(arguments: ["maxpool_k3s2p1", "maxpool_k2s2", "maxpool_ties", "avgpool_k3s2p1_incl", "avgpool_k3s2p1_excl", "avgpool_k2s1p1_excl"])
    func pooling(_ name: String) {
        var f = FixtureCase(name)
        let c = f.config()
        let s = Pool2DShape(batch: c[0], channels: c[1], inHeight: c[2], inWidth: c[3], kernel: (c[4], c[4]),
                            stride: (c[5], c[5]), padding: (c[6], c[6]))
        let x = f.tensor("x"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: s.outputCount), gx = [Float](repeating: .nan, count: s.inputCount)
        if name.hasPrefix("max") {
            var idx = [Int32](repeating: -1, count: s.outputCount)
            MaxPool2D.forward(shape: s, input: x, output: &y, indices: &idx)
            MaxPool2D.backward(shape: s, gradOutput: gy, indices: idx, gradInput: &gx)
            #expect(idx.map { Float($0) } == f.tensor("idx"), "\(name) argmax indices vs torch")
        } else {
            AvgPool2D.forward(shape: s, countIncludePad: c[7] == 1, input: x, output: &y)
            AvgPool2D.backward(shape: s, countIncludePad: c[7] == 1, gradOutput: gy, gradInput: &gx)
        }
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    @Test func globalAvgPool() {
        var f = FixtureCase("gap")
        let c = f.config()
        let x = f.tensor("x"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: c[0] * c[1]), gx = [Float](repeating: .nan, count: x.count)
        GlobalAvgPool.forward(batch: c[0], channels: c[1], spatial: c[2], input: x, output: &y)
        GlobalAvgPool.backward(batch: c[0], channels: c[1], spatial: c[2], gradOutput: gy, gradInput: &gx)
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    @Test(arguments: ActivationKind.allCases) func activation(_ kind: ActivationKind) {
        var f = FixtureCase("act_\(kind.rawValue)")
        let x = f.tensor("x"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: x.count), gx = y
        Activation.forward(kind, input: x, output: &y, count: x.count)
        Activation.backward(kind, input: x, output: y, gradOutput: gy, gradInput: &gx, count: x.count)
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    @Test func addAndMul() {
        for name in ["ew_add", "ew_mul"] {
            var f = FixtureCase(name)
            let a = f.tensor("a"), b = f.tensor("b"), gy = f.tensor("gy")
            var y = [Float](repeating: .nan, count: a.count), ga = y, gb = y
            if name == "ew_add" {
                Elementwise.add(a, b, output: &y, count: a.count)
                Elementwise.addBackward(gradOutput: gy, gradA: &ga, gradB: &gb, count: a.count)
            } else {
                Elementwise.mul(a, b, output: &y, count: a.count)
                Elementwise.mulBackward(a, b, gradOutput: gy, gradA: &ga, gradB: &gb, count: a.count)
            }
            f.check(y, "y"); f.check(ga, "ga"); f.check(gb, "gb")
            f.report()
        }
    }

    @Test func concat() {
        var f = FixtureCase("concat")
        let c = f.config()
        let batch = c[0], spatial = c[1], channels = Array(c[2...])
        let x0 = f.tensor("x0"), x1 = f.tensor("x1"), x2 = f.tensor("x2"), gy = f.tensor("gy")
        var y = [Float](repeating: .nan, count: gy.count)
        x0.withUnsafeBufferPointer { p0 in
            x1.withUnsafeBufferPointer { p1 in
                x2.withUnsafeBufferPointer { p2 in
                    ChannelConcat.concat([p0.baseAddress!, p1.baseAddress!, p2.baseAddress!], channels: channels,
                                         batch: batch, spatial: spatial, output: &y)
                }
            }
        }
        var g0 = [Float](repeating: .nan, count: x0.count), g1 = [Float](repeating: .nan, count: x1.count)
        var g2 = [Float](repeating: .nan, count: x2.count)
        g0.withUnsafeMutableBufferPointer { p0 in
            g1.withUnsafeMutableBufferPointer { p1 in
                g2.withUnsafeMutableBufferPointer { p2 in
                    ChannelConcat.concatBackward(gradOutput: gy, channels: channels, batch: batch, spatial: spatial,
                                                 gradInputs: [p0.baseAddress!, p1.baseAddress!, p2.baseAddress!])
                }
            }
        }
        f.check(y, "y"); f.check(g0, "gx0"); f.check(g1, "gx1"); f.check(g2, "gx2")
        f.report()
    }

    /// PyTorch's RNG differs from ours, so the mask is recovered from torch's output (kept = non-zero)
    /// and the kernel's inverted scaling, forward and backward are checked against it.
    @Test func dropout() {
        var f = FixtureCase("dropout")
        let p = f.tensor("cfg").first ?? 0
        let x = f.tensor("x"), ty = f.tensor("y"), gy = f.tensor("gy")
        let mask = ty.map { $0 == 0 ? Float(0) : 1 / (1 - p) }
        let dropped = Double(mask.filter { $0 == 0 }.count) / Double(max(mask.count, 1))
        #expect(abs(dropped - Double(p)) < 0.1, "torch dropped fraction \(dropped)")
        var y = [Float](repeating: .nan, count: x.count), gx = y
        Dropout.forward(input: x, mask: mask, output: &y, count: x.count)
        Dropout.backward(gradOutput: gy, mask: mask, gradInput: &gx, count: x.count)
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    @Test(arguments: ["softmax", "log_softmax"]) func softmax(_ name: String) {
        var f = FixtureCase(name)
        let x = f.tensor("x"), gy = f.tensor("gy")
        let shape = TorchFixtures.tensor(name, "x")?.shape ?? [0, 0]
        let rows = shape[0], cols = shape[1]
        var y = [Float](repeating: .nan, count: x.count), gx = y
        if name == "softmax" {
            Softmax.forward(rows: rows, columns: cols, input: x, output: &y)
            Softmax.backward(rows: rows, columns: cols, output: y, gradOutput: gy, gradInput: &gx)
        } else {
            Softmax.logForward(rows: rows, columns: cols, input: x, output: &y)
            Softmax.logBackward(rows: rows, columns: cols, output: y, gradOutput: gy, gradInput: &gx)
        }
        f.check(y, "y"); f.check(gx, "gx")
        f.report()
    }

    @Test(arguments: ["ce", "ce_smooth"]) func crossEntropy(_ name: String) throws {
        var f = FixtureCase(name)
        let cfg = f.tensor("cfg")
        let batch = Int(cfg[0]), classes = Int(cfg[1]), smoothing = cfg[2]
        let labels = f.tensor("labels").map { Int64($0) }
        var grad = [Float](repeating: .nan, count: batch * classes)
        let loss = try Loss.crossEntropy(batch: batch, classes: classes, logits: f.tensor("logits"), labels: labels,
                                         labelSmoothing: smoothing, gradLogits: &grad)
        f.check([loss], "loss"); f.check(grad, "glogits")
        f.report()
    }

    @Test func nll() throws {
        var f = FixtureCase("nll")
        let c = f.config()
        let labels = f.tensor("labels").map { Int64($0) }
        var grad = [Float](repeating: .nan, count: c[0] * c[1])
        let loss = try Loss.nll(batch: c[0], classes: c[1], logProbabilities: f.tensor("logp"), labels: labels,
                                gradInput: &grad)
        f.check([loss], "loss"); f.check(grad, "glogp")
        f.report()
    }
}
