// OneShotValueChoiceTests: DARTS and SPOS on a space with value choices and a repeat — DARTS exports the argmax value
// and depth, SPOS maps selector indices to values and depths, and both exports are valid architectures.
import Testing
import NASCIR
import NASCData
import NASCStrategies

@Suite struct OneShotValueChoiceTests {
    static let spaceText = """
    space "vc" version 1 root @main
    value_choice "w" [2, 4]
    value_choice "k" [1, 3]

    graph @main(%x: f32[N,1,6,6]) {
      %s = conv2d(%x) {out = $w, kernel = $k, padding = same}
      %r = repeat(%s) {label = "d", depths = [0, 1, 2], blocks = [@b, @b]}
      %f = global_avg_pool(%r)
      %o = linear(%f) {out = 2}
      return %o
    }

    graph @b(%x: f32[N,4,6,6]) {
      %y = conv2d(%x) {out = $w, kernel = 3, padding = 1}
      %t = relu(%y)
      return %t
    }
    """

    @Test func dartsExportsTheArgmaxValueAndDepth() throws {
        let space = try TextIR.parse(Self.spaceText, file: "vc.nir")
        var c = DartsConfig()
        c.epochs = 2; c.batchSize = 16; c.archLR = 0.1
        let darts = try DartsSearch(space: space, config: c)
        var last: OneShotEpochLog?
        let arch = try darts.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { last = $0 }
        let p = try #require(last?.probabilities)
        #expect(Set(p.keys) == ["w", "k", "d"])
        #expect(p["d"]?.count == 3 && p["w"]?.count == 2)
        #expect(p["d"] != [1.0 / 3, 1.0 / 3, 1.0 / 3], "depth alpha did not move")
        func argmax(_ v: [Double]) -> Int { v.indices.max { v[$0] < v[$1] || (v[$0] == v[$1] && $0 > $1) } ?? 0 }
        #expect(arch["w"] == .value(.int([2, 4][argmax(p["w"]!)])))
        #expect(arch["k"] == .value(.int([1, 3][argmax(p["k"]!)])))
        #expect(arch["d"] == .value(.int([0, 1, 2][argmax(p["d"]!)])))
        try SearchSpace(space).validate(arch)
    }

    @Test func sposMapsSelectionsToValuesAndDepths() throws {
        let space = try TextIR.parse(Self.spaceText, file: "vc.nir")
        let c = OneShotFixtures.smallSPOS(epochs: 1)
        let spos = try SPOSSearch(space: space, config: c)
        let labels = spos.executor.plan.selectors.map(\.label)
        #expect(Set(labels) == ["w", "k", "d"])
        var selection = [Int](repeating: 0, count: labels.count)
        selection[labels.firstIndex(of: "w")!] = 1
        selection[labels.firstIndex(of: "d")!] = 2
        let arch = try spos.architecture(selection)
        #expect(arch["w"] == .value(.int(4)) && arch["k"] == .value(.int(1)) && arch["d"] == .value(.int(2)))
        let train = try OneShotFixtures.data(seed: 3), valid = try OneShotFixtures.data(seed: 4)
        try spos.train(train, valid: valid)
        let (best, acc) = try spos.search(calibration: train, valid: valid)
        #expect(acc == spos.evaluated.values.max())
        try SearchSpace(space).validate(best)
    }
}
