// BudgetDefaultsTests: with a known budget, TPE's start-up and evolution's population scale with it; given options win.
import NASCIR
import NASCStrategies
import Testing

@Suite struct BudgetDefaultsTests {
    let space = SyntheticLandscape.benchmarkSpace

    func tpe(_ budget: Int?, _ options: [String: String] = [:]) throws -> TPE.Config {
        try #require(try Strategies.make(name: "tpe", space: space, seed: 1, options: options, budget: budget) as? TPE).config
    }

    func evolution(_ budget: Int?, _ options: [String: String] = [:]) throws -> RegularizedEvolution.Config {
        try #require(try Strategies.make(name: "evolution", space: space, seed: 1, options: options, budget: budget)
            as? RegularizedEvolution).config
    }

    @Test func tpeStartupIsAQuarterOfTheBudgetBetween5And20() throws {
        #expect(try tpe(nil).nStartupJobs == 20)     // NNI's default without a budget
        #expect(try tpe(10).nStartupJobs == 5)       // at least 5
        #expect(try tpe(20).nStartupJobs == 5)
        #expect(try tpe(50).nStartupJobs == 12)
        #expect(try tpe(1000).nStartupJobs == 20)    // never more than NNI's
        #expect(try tpe(10, ["n_startup_jobs": "20"]).nStartupJobs == 20)   // NNI's value as an option
    }

    @Test func evolutionPopulationAndTournamentScale() throws {
        let nni = try evolution(nil)
        #expect(nni.populationSize == 100 && nni.sampleSize == 25)
        let ten = try evolution(10)
        #expect(ten.populationSize == 5 && ten.sampleSize == 5)
        let fifty = try evolution(50)
        #expect(fifty.populationSize == 12 && fifty.sampleSize == 12)
        let huge = try evolution(10_000)
        #expect(huge.populationSize == 100 && huge.sampleSize == 25)
        // A given population keeps its own scaled tournament; both given restore NNI.
        let given = try evolution(10, ["population_size": "30"])
        #expect(given.populationSize == 30 && given.sampleSize == 25)
        let restored = try evolution(10, ["population_size": "100", "sample_size": "25"])
        #expect(restored.populationSize == 100 && restored.sampleSize == 25)
        // A bad given population is still reported by the strategy, not hidden by the defaults.
        #expect(diagnosticText { _ = try evolution(10, ["population_size": "many"]) }.contains("must be an integer"))
    }

    @Test func gridAndRLSayWhatTheyDoWithinTheBudget() {
        #expect(BudgetDefaults.note(strategy: "rl", budget: 10) == "rl updates its policy after every 4 successful trials: at most 2 updates "
                + "within 10 trials, so its proposals stay close to uniform at small budgets (see nasc compare)")
        #expect(BudgetDefaults.note(strategy: "rl", budget: 20, options: ["batch_size": "2"])?.contains("at most 10 updates") == true)
        #expect(BudgetDefaults.note(strategy: "grid", budget: 12)?.contains("its 12 trials are 12 distinct architectures") == true)
        #expect(BudgetDefaults.note(strategy: "tpe", budget: 12) == nil && BudgetDefaults.note(strategy: "grid", budget: nil) == nil)
    }

    @Test func otherStrategiesIgnoreTheBudget() {
        for name in ["random", "grid", "rl"] {
            #expect(BudgetDefaults.options(strategy: name, budget: 10).isEmpty)
        }
        #expect(BudgetDefaults.options(strategy: "tpe", budget: nil).isEmpty)
    }

    @Test func withTheBudgetTPEStopsSamplingUniformlyAfterItsStartup() throws {
        // With NNI's 20 start-up trials a 10-trial TPE search is random search with TPE's seed; with the budget's
        // 5 it is not: the same seed makes different proposals after the fifth.
        let landscape = try SyntheticLandscape(space: space, seed: 4)
        var nni = try Strategies.make(name: "tpe", space: space, seed: 9)
        var scaled = try Strategies.make(name: "tpe", space: space, seed: 9, budget: 10)
        let a = try landscape.run(&nni, budget: 10).trials.map(\.architecture)
        let b = try landscape.run(&scaled, budget: 10).trials.map(\.architecture)
        #expect(Array(a.prefix(5)) == Array(b.prefix(5)))
        #expect(Array(a.suffix(5)) != Array(b.suffix(5)))
    }
}
