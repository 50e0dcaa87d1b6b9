// OneShotStrategiesTests: DARTS moves its architecture weights and exports a valid argmax architecture; SPOS trains a
// sampled supernet and its evolution exports the best subnet it evaluated.
import Testing
import NASCIR
import NASCData
import NASCStrategies

@Suite struct OneShotStrategiesTests {
    @Test func dartsMovesAlphasAndExportsArgmax() throws {
        let space = try OneShotFixtures.tinySpace()
        var c = DartsConfig()
        c.epochs = 3; c.batchSize = 16; c.archLR = 0.05
        let darts = try DartsSearch(space: space, config: c)
        var logs: [OneShotEpochLog] = []
        let arch = try darts.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
        #expect(logs.count == 3)
        let p = try #require(logs.last?.probabilities["op"])
        #expect(p.count == 2 && abs(p.reduce(0, +) - 1) < 1e-9)
        #expect(p != [0.5, 0.5], "architecture weights did not move")
        let best = p[0] >= p[1] ? "conv3" : "skip"
        #expect(arch["op"] == .candidate(best))
        try SearchSpace(space).validate(arch)
    }

    @Test func sposExportsTheBestEvaluatedSubnet() throws {
        let space = try OneShotFixtures.tinySpace()
        let c = OneShotFixtures.smallSPOS(epochs: 2)
        let spos = try SPOSSearch(space: space, config: c)
        let train = try OneShotFixtures.data(seed: 3), valid = try OneShotFixtures.data(seed: 4)
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
