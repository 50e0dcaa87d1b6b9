// OneShotSearchTests: GumbelDARTS anneals its temperature and is reproducible, Proxyless moves its alphas and its
// FLOPs penalty favours cheaper candidates, alphas start as seeded 1e-3 * randn, and early stopping on skips stops.
import Testing
import NASCIR
import NASCData
@testable import NASCStrategies

@Suite struct OneShotSearchTests {
    func space() throws -> ModelSpace { try OneShotFixtures.tinySpace() }

    @Test func gumbelTemperatureFollowsTheLinearSchedule() {
        #expect(DartsSearch.temperature(epoch: 0, of: 4, initial: 1, minimum: 0.33) == 1)
        #expect(abs(DartsSearch.temperature(epoch: 2, of: 4, initial: 1, minimum: 0.33) - 0.665) < 1e-12)
        #expect(abs(DartsSearch.temperature(epoch: 4, of: 4, initial: 1, minimum: 0.33) - 0.33) < 1e-12)
    }

    @Test func gumbelDartsAnnealsAndIsReproducible() throws {
        var c = DartsConfig()
        c.epochs = 3; c.batchSize = 16; c.archLR = 0.05
        func run() throws -> ([OneShotEpochLog], Architecture) {
            let g = try GumbelDartsSearch.make(space: try space(), config: c)
            #expect(g.mode == .gumbel)
            var logs: [OneShotEpochLog] = []
            let arch = try g.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
            return (logs, arch)
        }
        let (a, archA) = try run()
        let (b, archB) = try run()
        #expect(a == b && archA == archB, "same seed, same search")
        #expect(a.map { $0.extra["temperature"] ?? -1 }.map { ($0 * 1e4).rounded() / 1e4 } == [1.0, 0.7767, 0.5533])
        let p = try #require(a.last?.probabilities["op"])
        #expect(abs(p.reduce(0, +) - 1) < 1e-9 && abs(p[0] - p[1]) > 1e-3, "\(p)")
        #expect(archA["op"] == .candidate(p[0] >= p[1] ? "conv3" : "skip"))
    }

    @Test func alphasStartAsSeededSmallNormals() throws {
        let a = try DartsSearch(space: try space()), b = try DartsSearch(space: try space())
        var c = DartsConfig(); c.seed = 9
        let other = try DartsSearch(space: try space(), config: c)
        let alpha = try #require(a.executor.parameter("arch:op"))
        #expect(alpha.contains { $0 != 0 } && alpha.allSatisfy { abs($0) < 1e-2 }, "\(alpha)")
        #expect(alpha == b.executor.parameter("arch:op"))
        #expect(alpha != other.executor.parameter("arch:op"))
        let xs = OneShotExport.normal(count: 4000, std: 1e-3, seed: 1, name: "n")
        let mean = xs.reduce(0.0) { $0 + Double($1) } / 4000
        let sd = (xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 4000).squareRoot()
        #expect(abs(mean) < 1e-4 && abs(sd - 1e-3) < 1e-4, "mean \(mean) sd \(sd)")
    }

    @Test(arguments: [2, 0])
    func proxylessMovesAlphasAndExportsArgmax(paths: Int) throws {
        var c = ProxylessConfig()
        c.epochs = 3; c.batchSize = 16; c.archLR = 0.05; c.paths = paths
        let search = try ProxylessSearch(space: try space(), config: c)
        let start = search.alpha
        var logs: [OneShotEpochLog] = []
        let arch = try search.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
        #expect(logs.count == 3)
        #expect(search.alpha != start, "alphas did not move")
        let p = try #require(logs.last?.probabilities["op"])
        #expect(arch["op"] == .candidate(p[0] >= p[1] ? "conv3" : "skip"))
        try SearchSpace(try space()).validate(arch)
    }

    @Test func proxylessFlopsPenaltyFavoursCheaperCandidates() throws {
        func finalSkip(_ penalty: Double) throws -> (Double, ProxylessSearch) {
            var c = ProxylessConfig()
            c.epochs = 3; c.batchSize = 16; c.archLR = 0.05; c.flopsPenalty = penalty
            let s = try ProxylessSearch(space: try space(), config: c)
            try s.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2))
            return (s.probabilities()["op"]?[1] ?? 0, s)
        }
        let (free, _) = try finalSkip(0)
        let (penalized, s) = try finalSkip(50)
        // conv3 on 2x6x6 -> 2x6x6: 36 * 2 * (2 * 9) = 1296 MACs, 2 FLOPs each plus 72 bias adds; skip costs nothing.
        let conv3 = 2 * 36 * 2 * (2 * 9) + 72
        #expect(s.flopsDelta["op"] == [0, Double(-conv3)])
        #expect(s.baseFlops > Double(conv3))
        #expect(penalized > free, "penalty \(penalized) vs none \(free)")
        #expect(penalized > 0.5)
    }

    @Test func earlyStopOnSkipsStopsAtTheFirstCollapsedEpoch() throws {
        var c = DartsConfig()
        c.epochs = 4; c.batchSize = 16; c.archLR = 0.05; c.earlyStopSkips = 1
        let d = try DartsSearch(space: try space(), config: c)
        var logs: [OneShotEpochLog] = []
        try d.run(train: try OneShotFixtures.data(seed: 1), valid: try OneShotFixtures.data(seed: 2)) { logs.append($0) }
        #expect(logs.count == d.epochsRun)
        for l in logs.dropLast() { #expect(l.extra["skip_argmax"] == 0) }
        let last = try #require(logs.last)
        #expect((d.epochsRun < 4) == (last.extra["skip_argmax"] ?? 0 >= 1))
        let p = try #require(last.probabilities["op"])
        #expect((last.extra["skip_argmax"] == 1) == (p[1] > p[0]))
    }

    @Test func epochLogIsOneJSONLine() {
        let e = OneShotEpochLog(epoch: 2, trainLoss: 0.5, trainAccuracy: 0.75, validLoss: 0.25, validAccuracy: 1,
                                probabilities: ["a\"b": [0.25, 0.75]], extra: ["temperature": 0.5])
        #expect(e.jsonLine == #"{"epoch":2,"temperature":0.5,"probabilities":{"a\"b":[0.25,0.75]},"train_accuracy":0.75,"train_loss":0.5,"valid_accuracy":1.0,"valid_loss":0.25}"#)
    }
}
