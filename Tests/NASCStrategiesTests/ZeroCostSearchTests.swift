// ZeroCostSearchTests: the zero-cost strategy proposes a proxy ranking in order and resumes; TPE and evolution take
// their start-up proposals from a ranking with `warmup=PROXY`; the options' errors.
import BigInt
import NASCIR
import NASCStrategies
import Testing

@Suite struct ZeroCostSearchTests {
    let space = SyntheticLandscape.benchmarkSpace

    /// A ranking of 12 distinct architectures (seeded).
    func ranking(_ n: Int = 12) -> [Architecture] {
        var rng = SplitMix64(seed: 77)
        var seen = Set<Architecture>(), out: [Architecture] = []
        while out.count < n { let a = space.randomArchitecture(using: &rng); if seen.insert(a).inserted { out.append(a) } }
        return out
    }

    @Test func proposesTheRankingInOrderAndResumes() throws {
        let r = ranking()
        var s = try Strategies.make(name: "zero-cost", space: space, seed: 3, options: ["proxy": "snip"], ranking: r)
        #expect(s.name == "zero-cost")
        let first = try s.ask(count: 4)
        #expect(first == Array(r[0..<4]))
        for (k, a) in first.enumerated() { try s.tell(a, outcome: .succeeded(metric: Double(k))) }
        let state = try s.saveState()
        var resumed = try Strategies.make(name: "zero-cost", space: space, seed: 3, options: ["proxy": "snip"], ranking: r)
        try resumed.restore(state: state)
        #expect(try resumed.ask(count: 3) == Array(r[4..<7]))
        #expect(try s.ask(count: 100) == Array(r[4...]))
        #expect(s.isExhausted)
        #expect(try s.ask(count: 1).isEmpty)
    }

    @Test(arguments: ["tpe", "evolution"])
    func warmupTakesTheStartupProposalsFromTheRanking(_ name: String) throws {
        let r = ranking()
        // Budget 20: TPE starts with 5 proposals, evolution's population is 5.
        var s = try Strategies.make(name: name, space: space, seed: 9, options: ["warmup": "synflow"], budget: 20, ranking: r)
        var asked: [Architecture] = []
        for k in 0..<5 {
            let a = try #require(try s.ask(count: 1).first)
            asked.append(a)
            try s.tell(a, outcome: .succeeded(metric: 0.5 + 0.01 * Double(k)))
        }
        #expect(asked == Array(r[0..<5]))
        // After the start-up the model (TPE) or the tournament (evolution) proposes: no longer the ranking's order.
        var cold = try Strategies.make(name: name, space: space, seed: 9, options: [:], budget: 20)
        #expect(try cold.ask(count: 5) != Array(r[0..<5]))
    }

    @Test func optionsAndMissingRankingsAreDiagnostics() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch let e as DiagnosticError { return e.diagnostics.first?.message ?? "" } catch { return "\(error)" }
        }
        #expect(message { _ = try Strategies.make(name: "zero-cost", space: space, seed: 1) }
                == "zero-cost: needs the proxy ranking (nasc run and nasc compare compute it)")
        #expect(message { _ = try Strategies.make(name: "tpe", space: space, seed: 1, options: ["warmup": "snip"]) }
                == "tpe: warmup=snip needs the proxy ranking (nasc run and nasc compare compute it)")
        #expect(message { _ = try Strategies.make(name: "evolution", space: space, seed: 1, options: ["warmup": "loss"], ranking: ranking()) }
                == "evolution: option warmup=loss must be one of synflow, naswot, grad_norm, snip, jacob_cov, params, flops")
        #expect(message { _ = try Strategies.make(name: "zero-cost", space: space, seed: 1, options: ["samples": "0"], ranking: ranking()) }
                .contains("samples"))
        #expect(message { _ = try Strategies.make(name: "zero-cost", space: space, seed: 1, options: ["top": "3"], ranking: ranking()) }
                .contains("top"))
        // random and rl take no warmup: it stays an unknown option.
        #expect(message { _ = try Strategies.make(name: "random", space: space, seed: 1, options: ["warmup": "snip"], ranking: ranking()) }
                .contains("warmup"))
    }
}
