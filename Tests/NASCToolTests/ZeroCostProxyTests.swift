// ZeroCostProxyTests: each zero-cost proxy of nasc's executor against PyTorch on a tiny network with fixed weights
// (Fixtures/proxy_fixtures.json, made by scripts/proxy-fixtures.py), the numerics against hand-worked matrices, and
// the flag errors of `nasc inspect --proxies`.
import Foundation
import NASCFrontend
import NASCIR
import NASCRuntime
import Testing
@testable import NASCTool

@Suite struct ZeroCostProxyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Fixture: Decodable {
        var input: [Float]
        var labels: [Int64]
        var count: Int
        var params: [String: [Float]]
        var expected: [String: Double]
    }

    static func load() throws -> (ModelSpace, Fixture) {
        let url = fixtures.appendingPathComponent("proxy_net.nas")
        let space = try Frontend.compile(source: try String(contentsOf: url, encoding: .utf8), file: url.path)
        let fixture = try JSONDecoder().decode(Fixture.self, from: try Data(contentsOf: fixtures.appendingPathComponent("proxy_fixtures.json")))
        return (space, fixture)
    }

    @Test func everyProxyMatchesPyTorchOnTheTinyNetwork() throws {
        let (space, f) = try Self.load()
        var scorer = ZeroCostScorer(features: f.input, labels: f.labels, count: f.count, seed: 1)
        scorer.initialize = { e in
            for name in e.parameterNames {
                let values = try #require(f.params[name], "fixture lacks \(name)")
                try e.setParameter(name, values)
            }
        }
        let scores = try scorer.scores(space, Architecture(), proxies: ZeroCostProxy.allCases)
        for p in ZeroCostProxy.allCases where p != .flops {
            let want = try #require(f.expected[p.rawValue], "fixture lacks \(p.rawValue)")
            let got = try #require(scores[p])
            // float32 executor against float64 (synflow) or float32 PyTorch: relative 1e-4.
            #expect(abs(got - want) <= 1e-4 * max(1, abs(want)), "\(p.rawValue): nasc \(got), PyTorch \(want)")
        }
        // FLOPs per sample as OpCost counts them: 2*MACs of both convs and the linear, plus batch norm/relu/pool.
        let flops = try #require(scores[.flops])
        #expect(flops >= Double(2 * (25 * 3 * 2 * 9 + 25 * 4 * 3 * 9 + 4 * 3)))
    }

    @Test func logDeterminantAndJacobianScoreAgreeWithHandWorkedMatrices() {
        // det [[4, 2], [2, 3]] = 8.
        #expect(abs(ProxyMath.logAbsDeterminant([4, 2, 2, 3], 2) - Foundation.log(8)) < 1e-12)
        // A permutation needs pivoting: det [[0, 2], [3, 0]] = -6.
        #expect(abs(ProxyMath.logAbsDeterminant([0, 2, 3, 0], 2) - Foundation.log(6)) < 1e-12)
        #expect(ProxyMath.logAbsDeterminant([1, 2, 2, 4], 2) == -.infinity)
        // Two rows with correlation 0 (orthogonal after centring): eigenvalues 1, 1.
        let score = ProxyMath.jacobianCovarianceScore([1, -1, 1, -1, 1, 1, -1, -1], rows: 2)
        let want = -2 * (Foundation.log(1 + 1e-5) + 1 / (1 + 1e-5))
        #expect(abs(score - want) < 1e-9)
        // Perfectly correlated rows: eigenvalues 2 and 0.
        let corr = ProxyMath.jacobianCovarianceScore([1, 2, 3, 2, 4, 6], rows: 2)
        #expect(abs(corr - -(Foundation.log(2 + 1e-5) + 1 / (2 + 1e-5) + Foundation.log(1e-5) + 1 / 1e-5)) < 1e-6)
        // A constant row has no correlation: undefined.
        #expect(ProxyMath.jacobianCovarianceScore([1, 1, 1, 1, 2, 3], rows: 2).isNaN)
        let eig = ProxyMath.symmetricEigenvalues([2, 1, 0, 1, 2, 0, 0, 0, 5], 3)
        #expect(zip(eig, [1.0, 3.0, 5.0]).allSatisfy { abs($0 - $1) < 1e-10 })
    }

    @Test func aNetworkWhoseOutputIgnoresItsInputHasUndefinedScores() throws {
        let space = try Frontend.compile(source: """
            space dead
            input x: [1, 4, 4]
            h = x -> conv2d(out: 2, kernel: 3, padding: 1) -> zero -> relu
            return h -> global_avg_pool -> linear(out: 3)
            """, file: "dead.nas")
        let scorer = ZeroCostScorer(features: (0..<32).map { Float($0 % 7) - 3 }, labels: [0, 1], count: 2, seed: 3)
        let s = try scorer.scores(space, Architecture(), proxies: [.naswot, .jacobCov, .synflow])
        #expect(s[.naswot] == -.infinity)  // identical ReLU codes: K is singular (the JSON prints null)
        #expect(s[.jacobCov]!.isNaN)
        #expect(s[.synflow] == 0)
    }

    @Test func rankingPutsUndefinedScoresLast() {
        let a = Architecture(["e": .candidate("a")]), b = Architecture(["e": .candidate("b")]), c = Architecture(["e": .candidate("c")])
        let table = ProxyTable(proxies: [.synflow], rows: [.init(architecture: a, scores: [.synflow: .nan]),
                                                          .init(architecture: b, scores: [.synflow: 1]),
                                                          .init(architecture: c, scores: [.synflow: 2])])
        #expect(table.ranked(by: .synflow) == [c, b, a])
    }

    @Test func badProxyFlagsAreOneLineErrors() throws {
        for (args, line, code) in [(["--proxies", "--proxy-list", "synflow,bogus"],
                                    "--proxy-list: error: unknown proxy 'bogus' (expected synflow, naswot, grad_norm, snip, jacob_cov, params, flops or all)", Int32(1)),
                                   (["--proxies", "--batch-size", "1"], "--batch-size: error: must be between 2 and 4096, got 1", 2),
                                   (["--proxies", "--samples", "0"], "--samples: error: must be at least 1, got 0", 2),
                                   (["--proxies", "--data", "nope"], "--data: error: unknown data set \"nope\"", 1),
                                   (["--json"], "--json: error: needs --proxies", 2)] {
            let r = try NascProcess.run(["inspect", "examples/nb201_digits3.nas"] + args)
            #expect(r.code == code, "\(args)")
            #expect(r.stderr.split(separator: "\n").map(String.init) == [line], "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func inspectProxiesPrintsOneJSONLinePerArchitecture() throws {
        let r = try NascProcess.run(["inspect", "examples/nb201_digits3.nas", "--proxies", "--samples", "3", "--json",
                                     "--proxy-list", "params,naswot"])
        #expect(r.code == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == 3)
        for row in rows {
            let row = try #require(row)
            #expect(Set(row.keys) == ["arch", "params", "naswot"])
            #expect((row["arch"] as? [String: String])?.count == 3)
        }
    }
}

/// `nasc compare` with the zero-cost strategy and warm starts on the committed real table.
@Suite struct ZeroCostCompareCLITests {
    @Test func zeroCostByParamsPicksTheLargestArchitectureOfTheTable() throws {
        // Budget 1: the pick is the architecture with the most parameters (the `params` proxy's top), so the regret is
        // the table's best test minus that architecture's test, read from the table here.
        let root = NascProcess.root
        let rows = try String(contentsOf: root.appendingPathComponent("examples/tables/nb201_digits3.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let best = rows.compactMap { $0["test"] as? Double }.max()!
        let largest = try #require(rows.max { ($0["params"] as! Int) < ($1["params"] as! Int) })
        let want = best - (largest["test"] as! Double)
        let r = try NascProcess.run(["compare", "examples/nb201_digits3.nas", "--benchmark", "table:examples/tables/nb201_digits3.jsonl",
                                     "--strategies", "zero-cost", "--strategy-option", "zero-cost.proxy=params",
                                     "--budgets", "1", "--seeds", "2", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let results = try #require(json["rows"] as? [[String: Any]])
        let zc = try #require(results.first { ($0["strategy"] as? String) == "zero-cost" })
        let mean = try #require(zc["mean_regret"] as? Double)
        #expect(abs(mean - want) < 1e-9, "regret \(mean), want \(want)")
    }

    @Test func badWarmupIsOneLineAtTheFlag() throws {
        let r = try NascProcess.run(["compare", "examples/nb201_digits3.nas", "--benchmark", "table:examples/tables/nb201_digits3.jsonl",
                                     "--strategies", "tpe", "--strategy-option", "tpe.warmup=accuracy", "--budgets", "5", "--seeds", "1"])
        #expect(r.code == 1)
        #expect(r.stderr == "--strategies: error: tpe: option warmup=accuracy must be one of synflow, naswot, grad_norm, snip, jacob_cov, params, flops\n")
    }
}
