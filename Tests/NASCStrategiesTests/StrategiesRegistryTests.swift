// StrategiesRegistryTests: making strategies by name, typed options, and diagnostics for bad names and options.
import NASCIR
import NASCStrategies
import Testing

@Suite struct StrategiesRegistryTests {
    let space = SyntheticLandscape.benchmarkSpace

    @Test func makesEveryStrategyWithItsName() throws {
        for name in Strategies.names {
            var s = try Strategies.make(name: name, space: space, seed: 1)
            #expect(s.name == name)
            let proposals = try s.ask(count: 3)
            #expect(proposals.count == 3)
            for a in proposals { try space.validate(a) }
        }
    }

    @Test func optionsAreTyped() throws {
        let e = try #require(try Strategies.make(name: "evolution", space: space, seed: 1, options: [
            "population_size": "50", "sample_size": "10", "mutation_prob": "0.2", "crossover": "yes", "dedup": "false",
        ]) as? RegularizedEvolution)
        #expect(try e.config == RegularizedEvolution.Config(populationSize: 50, sampleSize: 10, mutationProb: 0.2,
                                                            crossover: true, dedup: false))
        let t = try #require(try Strategies.make(name: "tpe", space: space, seed: 1, options: [
            "n_startup_jobs": "5", "n_ei_candidates": "10", "gamma": "0.5", "prior_weight": "0",
            "linear_forgetting": "40", "constant_liar": "Worst", "dedup": "0",
        ]) as? TPE)
        #expect(try t.config == TPE.Config(nStartupJobs: 5, nEICandidates: 10, gamma: 0.5, priorWeight: 0,
                                           linearForgetting: 40, constantLiar: .worst, dedup: false))
        let r = try #require(try Strategies.make(name: "random", space: space, seed: 1, options: ["dedup": "off"]) as? RandomSearch)
        #expect(!r.config.dedup)
        let g = try #require(try Strategies.make(name: "grid", space: space, seed: 1, options: ["shuffle": "false"]) as? GridSearch)
        #expect(!g.config.shuffle)
        // A small population caps the default tournament size.
        let small = try #require(try Strategies.make(name: "evolution", space: space, seed: 1,
                                                     options: ["population_size": "10"]) as? RegularizedEvolution)
        #expect(small.config.sampleSize == 10)
    }

    @Test func unknownNameSaysWhatExists() {
        let text = diagnosticText { _ = try Strategies.make(name: "evolutoin", space: space, seed: 1) }
        #expect(text.contains("unknown strategy 'evolutoin'; known strategies are random, grid, evolution, tpe"))
        #expect(text.contains("did you mean 'evolution'?"))
        #expect(diagnosticText { _ = try Strategies.make(name: "", space: space, seed: 1) }.contains("unknown strategy ''"))
    }

    @Test func unknownOptionSaysWhichOnesExist() {
        let text = diagnosticText { _ = try Strategies.make(name: "evolution", space: space, seed: 1,
                                                            options: ["population": "5"]) }
        #expect(text.contains("strategy 'evolution' has no option 'population'"))
        #expect(text.contains("population_size, sample_size, mutation_prob, crossover, dedup"))
        #expect(text.contains("did you mean 'population_size'?"))
        #expect(diagnosticText { _ = try Strategies.make(name: "grid", space: space, seed: 1, options: ["dedup": "true"]) }
            .contains("strategy 'grid' has no option 'dedup'; its options are shuffle"))
    }

    @Test func badValuesAreDiagnosed() {
        func error(_ name: String, _ options: [String: String]) -> String {
            diagnosticText { _ = try Strategies.make(name: name, space: space, seed: 1, options: options) }
        }
        #expect(error("evolution", ["population_size": "many"]).contains("option 'population_size' of strategy 'evolution' must be an integer, got 'many'"))
        #expect(error("evolution", ["population_size": "0"]).contains("an integer in 1 or more"))
        #expect(error("evolution", ["mutation_prob": "2"]).contains("must be a number in [0.0, 1.0], got '2'"))
        #expect(error("evolution", ["population_size": "10", "sample_size": "20"]).contains("sample_size must be between 1 and population_size (10)"))
        #expect(error("random", ["dedup": "maybe"]).contains("must be true or false, got 'maybe'"))
        #expect(error("tpe", ["constant_liar": "sometimes"]).contains("one of best, worst, mean, none"))
        #expect(error("tpe", ["gamma": "nan"]).contains("must be a number"))
        #expect(error("tpe", ["gamma": "0"]).contains("option 'gamma'"))
    }
}

@Suite struct DegenerateSpaceTests {
    static let variants: [(String, [String: String])] = [
        ("random", [:]), ("random", ["dedup": "false"]), ("grid", [:]), ("evolution", [:]),
        ("evolution", ["dedup": "false"]), ("tpe", ["n_startup_jobs": "0"]), ("tpe", ["dedup": "false"]),
    ]

    @Test(arguments: variants)
    func emptySpaceProposesNothing(name: String, options: [String: String]) throws {
        // A decision without values (only possible through SearchSpace(decisions:)) leaves no architecture.
        let space = SearchSpace(decisions: [Decision(label: "x", kind: .layerChoice(candidates: []))])
        var s = try Strategies.make(name: name, space: space, seed: 1, options: options)
        #expect(s.isExhausted)
        #expect(try s.ask(count: 3).isEmpty)
    }

    @Test(arguments: variants)
    func spaceWithoutDecisionsHasOneArchitecture(name: String, options: [String: String]) throws {
        let space = SearchSpace(decisions: [])
        var s = try Strategies.make(name: name, space: space, seed: 1, options: options)
        let first = try s.ask(count: 1)
        #expect(first == [Architecture()])
        try s.tell(first[0], outcome: .succeeded(metric: 1))
        if options["dedup"] != "false" {
            #expect(s.isExhausted)
            #expect(try s.ask(count: 1).isEmpty)
        } else {
            #expect(try s.ask(count: 2) == [Architecture(), Architecture()])
        }
    }
}
