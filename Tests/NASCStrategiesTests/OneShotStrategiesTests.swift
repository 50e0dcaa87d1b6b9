// OneShotStrategiesTests: DARTS moves its architecture weights and exports a valid argmax architecture; SPOS trains a
// sampled supernet and its evolution exports the best subnet it evaluated.
import Testing
import NASCIR
import NASCData
import NASCStrategies

@Suite struct OneShotStrategiesTests {
    static let spaceText = """
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

    /// 64 samples: class 1 when the left half of the image is brighter than the right half.
    static func data(seed: UInt64) throws -> Dataset {
        var g = SplitMix64(seed: seed)
        var xs: [Float] = [], ys: [Int32] = []
        for _ in 0..<64 {
            var left: Float = 0, right: Float = 0
            for r in 0..<6 { for c in 0..<6 {
                let v = Float(Double(g.next() % 1000) / 1000)
                xs.append(v)
                if c < 3 { left += v } else { right += v }
                _ = r
            } }
            ys.append(left > right ? 1 : 0)
        }
        return try Dataset(features: xs, sampleShape: [1, 6, 6], labels: ys, numClasses: 2, source: "synthetic")
    }

    @Test func dartsMovesAlphasAndExportsArgmax() throws {
        let space = try TextIR.parse(Self.spaceText, file: "tiny.nir")
        var c = DartsConfig()
        c.epochs = 3; c.batchSize = 16; c.archLR = 0.05
        let darts = try DartsSearch(space: space, config: c)
        var logs: [OneShotEpochLog] = []
        let arch = try darts.run(train: try Self.data(seed: 1), valid: try Self.data(seed: 2)) { logs.append($0) }
        #expect(logs.count == 3)
        let p = try #require(logs.last?.probabilities["op"])
        #expect(p.count == 2 && abs(p.reduce(0, +) - 1) < 1e-9)
        #expect(p != [0.5, 0.5], "architecture weights did not move")
        let best = p[0] >= p[1] ? "conv3" : "skip"
        #expect(arch["op"] == .candidate(best))
        try SearchSpace(space).validate(arch)
    }

    @Test func sposExportsTheBestEvaluatedSubnet() throws {
        let space = try TextIR.parse(Self.spaceText, file: "tiny.nir")
        var c = SPOSConfig()
        c.epochs = 2; c.batchSize = 16; c.population = 3; c.generations = 1; c.parents = 2; c.calibrationBatches = 1
        let spos = try SPOSSearch(space: space, config: c)
        let train = try Self.data(seed: 3), valid = try Self.data(seed: 4)
        var epochs: [OneShotEpochLog] = []
        try spos.train(train, valid: valid) { epochs.append($0) }
        #expect(epochs.count == 2)
        for e in epochs {
            let best = try #require(e.extra["valid_best"])
            #expect(best >= e.validAccuracy && (0...1).contains(best), "mean of the scored paths <= their best")
        }
        #expect(epochs[1].extra["lr"] ?? 0 < epochs[0].extra["lr"] ?? 0, "cosine schedule")
        var generations: [SPOSGenerationLog] = []
        let (arch, acc) = try spos.search(calibration: train, valid: valid) { generations.append($0) }
        #expect(generations.map(\.generation) == [0, 1])
        #expect(generations.last?.bestAccuracy == acc)
        #expect(generations[1].bestAccuracy >= generations[0].bestAccuracy)
        #expect(generations.last?.evaluated == spos.evaluated.count)
        #expect(generations[0].jsonLine.contains("\"stage\":\"evolution\""))
        #expect(acc == spos.evaluated.values.max())
        try SearchSpace(space).validate(arch)
        let bestSelection = try #require(spos.evaluated.first { $0.value == acc }?.key)
        #expect(try spos.architecture(bestSelection) == arch || spos.evaluated.values.filter { $0 == acc }.count > 1)
    }
}
