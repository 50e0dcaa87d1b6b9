// StrategyStateTests: save, restore and continue gives exactly the proposals of never stopping; bad states fail.
import Foundation
import NASCIR
import NASCStrategies
import Testing

@Suite struct StrategyStateTests {
    static let landscape = try! SyntheticLandscape(space: SyntheticLandscape.benchmarkSpace, seed: 5)

    /// Strategy configurations to check: every strategy, evolution and TPE past their random phase.
    static let configurations: [(String, [String: String])] = [
        ("random", [:]),
        ("grid", [:]),
        ("grid", ["shuffle": "false"]),
        ("evolution", ["population_size": "10", "sample_size": "3"]),
        ("evolution", ["population_size": "8", "sample_size": "4", "crossover": "true"]),
        ("evolution", [:]),
        ("tpe", [:]),
        ("tpe", ["constant_liar": "mean", "n_startup_jobs": "5"]),
        ("rl", [:]),
        ("rl", ["batch_size": "1", "dedup": "false", "hidden": "16"]),
        ("rl", ["algorithm": "ppo"]),
        ("rl", ["algorithm": "ppo", "batch_size": "3", "minibatch_size": "7", "hidden": "16"]),
    ]

    /// One step: ask `count`, tell all but the last `keepRunning` of them.
    static func step(_ s: inout any Strategy, count: Int, keepRunning: Int = 0) throws -> (asked: [Architecture], running: [Architecture]) {
        let asked = try s.ask(count: count)
        for a in asked.dropLast(keepRunning) { try s.tell(a, outcome: outcome(a)) }
        return (asked, Array(asked.suffix(keepRunning)))
    }

    static func outcome(_ a: Architecture) throws -> TrialOutcome {
        let score = try landscape.score(a)
        return score < 0.2 ? .failed(reason: "too small") : .succeeded(metric: score)
    }

    @Test(arguments: configurations)
    func restoreAndContinueMatchesNeverStopping(name: String, options: [String: String]) throws {
        let space = Self.landscape.space
        var original = try Strategies.make(name: name, space: space, seed: 77, options: options)
        for i in 0..<15 { _ = try Self.step(&original, count: 1 + i % 3) }
        // Save while three trials are running.
        let (_, running) = try Self.step(&original, count: 4, keepRunning: 3)
        let state = try original.saveState()

        var resumed = try Strategies.make(name: name, space: space, seed: 77, options: options)
        try resumed.restore(state: state)
        #expect(try resumed.saveState() == state)
        for a in running {
            try original.tell(a, outcome: try Self.outcome(a))
            try resumed.tell(a, outcome: try Self.outcome(a))
        }
        for i in 0..<25 {
            let count = 1 + i % 4
            let a = try Self.step(&original, count: count, keepRunning: i % 2)
            let b = try Self.step(&resumed, count: count, keepRunning: i % 2)
            #expect(a.asked == b.asked, "\(name) \(options): step \(i) differs after restore")
            for r in a.running {
                try original.tell(r, outcome: try Self.outcome(r))
                try resumed.tell(r, outcome: try Self.outcome(r))
            }
        }
        #expect(try original.saveState() == resumed.saveState())
        #expect(original.isExhausted == resumed.isExhausted)
    }

    @Test(arguments: Strategies.names)
    func sameSeedSameCallsSameProposals(name: String) throws {
        let space = Self.landscape.space
        var a = try Strategies.make(name: name, space: space, seed: 9)
        var b = try Strategies.make(name: name, space: space, seed: 9)
        var c = try Strategies.make(name: name, space: space, seed: 10)
        let ra = try Self.landscape.run(&a, budget: 40, batch: 3)
        let rb = try Self.landscape.run(&b, budget: 40, batch: 3)
        let rc = try Self.landscape.run(&c, budget: 40, batch: 3)
        #expect(ra.trials.map(\.architecture) == rb.trials.map(\.architecture))
        #expect(ra.trials.map(\.architecture) != rc.trials.map(\.architecture))
    }

    @Test(arguments: Strategies.names)
    func restoreRejectsForeignStates(name: String) throws {
        let space = Self.landscape.space
        var s = try Strategies.make(name: name, space: space, seed: 1)
        _ = try s.ask(count: 2)
        let state = try s.saveState()

        var fresh = try Strategies.make(name: name, space: space, seed: 1)
        #expect(diagnosticText { try fresh.restore(state: Array("not json".utf8)) }.contains("not a strategy state"))
        #expect(diagnosticText { try fresh.restore(state: Array("{}".utf8)) }.contains("missing"))

        var otherSeed = try Strategies.make(name: name, space: space, seed: 2)
        #expect(diagnosticText { try otherSeed.restore(state: state) }.contains("seed 1"))

        let otherName = Strategies.names.first { $0 != name }!
        var other = try Strategies.make(name: otherName, space: space, seed: 1)
        #expect(diagnosticText { try other.restore(state: state) }.contains("saved by strategy '\(name)'"))

        var otherSpace = try Strategies.make(name: name, space: mixedSpace, seed: 1)
        #expect(diagnosticText { try otherSpace.restore(state: state) }.contains("different search space"))

        let options: [String: String] = ["random": ["dedup": "false"], "grid": ["shuffle": "false"],
                                         "evolution": ["population_size": "7"], "tpe": ["gamma": "0.5"],
                                         "rl": ["batch_size": "8"]][name]!
        var otherConfig = try Strategies.make(name: name, space: space, seed: 1, options: options)
        #expect(diagnosticText { try otherConfig.restore(state: state) }.contains("different configuration"))

        // A failed restore leaves the strategy usable and unchanged.
        #expect(try fresh.saveState() == (try Strategies.make(name: name, space: space, seed: 1).saveState()))
    }

    @Test func restoreRejectsIndicesOutsideTheSpace() throws {
        var s = try Strategies.make(name: "random", space: mixedSpace, seed: 1)
        _ = try s.ask(count: 1)
        let text = String(decoding: try s.saveState(), as: UTF8.self)
        // Replace the proposed index by one past the end of the 72-architecture space.
        let tampered = text.replacingOccurrences(of: #""proposed":["#, with: #""proposed":["72","#)
        #expect(tampered != text)
        var fresh = try Strategies.make(name: "random", space: mixedSpace, seed: 1)
        #expect(diagnosticText { try fresh.restore(state: Array(tampered.utf8)) }.contains("'72' is not an architecture index"))
    }
}
