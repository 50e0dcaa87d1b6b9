// OneShotFixtures: the small supernet spaces, synthetic data and supernet-vs-subnet checks the one-shot tests share.
import Testing
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime
import NASCStrategies

/// The two-candidate space and the synthetic data set the one-shot search tests run on.
enum OneShotFixtures {
    /// A stem conv, a layer choice `op` (conv3 | skip), an input choice `in` and a 2-class classifier on 1x6x6.
    static let tinySpaceText = """
    space "tiny" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [conv3 = @conv3, skip = @skip]}
      %r = relu(%c)
      %k = input_choice(%r, %s) {label = "in", n_chosen = 1, reduction = sum}
      %f = flatten(%k)
      %o = linear(%f) {out = 2}
      return %o
    }

    graph @conv3(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      return %y
    }

    graph @skip(%x: f32[N,2,6,6]) {
      return %x
    }
    """

    /// ``tinySpaceText`` parsed.
    static func tinySpace() throws -> ModelSpace { try TextIR.parse(tinySpaceText, file: "tiny.nir") }

    /// 64 samples: class 1 when the left half of the image is brighter than the right half.
    static func data(seed: UInt64) throws -> Dataset {
        var g = SplitMix64(seed: seed)
        var xs: [Float] = [], ys: [Int32] = []
        for _ in 0..<64 {
            var left: Float = 0, right: Float = 0
            for _ in 0..<6 { for c in 0..<6 {
                let v = Float(Double(g.next() % 1000) / 1000)
                xs.append(v)
                if c < 3 { left += v } else { right += v }
            } }
            ys.append(left > right ? 1 : 0)
        }
        return try Dataset(features: xs, sampleShape: [1, 6, 6], labels: ys, numClasses: 2, source: "synthetic")
    }

    /// A one-epoch SPOS configuration with a population of 3 and one generation (batch 16, one calibration batch).
    static func smallSPOS(epochs: Int) -> SPOSConfig {
        var c = SPOSConfig()
        c.epochs = epochs; c.batchSize = 16; c.population = 3; c.generations = 1; c.parents = 2; c.calibrationBatches = 1
        return c
    }
}

/// Tests on the three-candidate space below: supernets of every mode against the specialized subnet with the same
/// weights. Conforming suites get the space, two fixed batches and the comparison helpers.
protocol TinyThreeWaySupernet {}

extension TinyThreeWaySupernet {
    /// A stem conv feeding a layer choice (two convs and a skip), an input choice and a classifier; smooth
    /// activations so finite differences are accurate.
    static var spaceText: String { """
    space "tiny" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [conv3 = @conv3, conv1 = @conv1, skip = @skip]}
      %r = sigmoid(%c)
      %k = input_choice(%r, %s) {label = "in", n_chosen = 1, reduction = sum}
      %f = flatten(%k)
      %o = linear(%f) {out = 3}
      return %o
    }

    graph @conv3(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      %t = tanh(%y)
      return %t
    }

    graph @conv1(%x: f32[N,2,6,6]) {
      %y = conv2d(%x) {out = 2, kernel = 1}
      return %y
    }

    graph @skip(%x: f32[N,2,6,6]) {
      return %x
    }
    """ }

    static var ops: [String] { ["conv3", "conv1", "skip"] }
    var x: [Float] { var g = SeededGenerator(seed: 5); return (0..<(4 * 36)).map { _ in Float(g.nextUnit() * 2 - 1) } }
    var x2: [Float] { var g = SeededGenerator(seed: 9); return (0..<(4 * 36)).map { _ in Float(g.nextUnit() * 2 - 1) } }
    var labels: [Int64] { [0, 1, 2, 1] }
    var labels2: [Int64] { [2, 0, 1, 1] }

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "tiny.nir") }

    /// The training plan of the subnet with candidate `k` of `op` and input `j` of `in`.
    func subnet(op k: Int, input j: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["op": .candidate(Self.ops[k]), "in": .inputs([j])]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// Copies the subnet's weights into the supernet (candidate `k`'s weights are `c.<k>.…` there).
    func share(from sub: Executor, to sup: Executor, op k: Int) throws {
        for name in sub.parameterNames {
            let target = name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name
            try sup.setParameter(target, try #require(sub.parameter(name)))
        }
    }

    func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    /// Supernet vs subnet: loss, output and every subnet parameter's gradient.
    func expectSame(_ sup: Executor, _ sub: Executor, op k: Int) throws {
        let l1 = try sup.computeGradients(data: x, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: x, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-6 * max(1, abs(l2)))
        #expect(close(sup.output, sub.output))
        for name in sub.parameterNames {
            let target = name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name
            #expect(close(try #require(sup.gradient(of: target)), try #require(sub.gradient(of: name))), "gradient of \(name)")
        }
    }
}
