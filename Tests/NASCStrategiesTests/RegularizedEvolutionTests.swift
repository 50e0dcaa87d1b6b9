// RegularizedEvolutionTests: aging population, tournament selection, mutation, crossover and failed trials.
import NASCIR
import NASCStrategies
import Testing

@Suite struct RegularizedEvolutionTests {
    @Test func populationNeverExceedsItsSizeAndTheOldestLeaves() throws {
        let landscape = try SyntheticLandscape(space: SyntheticLandscape.benchmarkSpace, seed: 1)
        var s = try RegularizedEvolution(space: landscape.space, seed: 4)  // NNI defaults: 100 / 25 / 0.05
        #expect(s.config.populationSize == 100 && s.config.sampleSize == 25 && s.config.mutationProb == 0.05)
        var told: [Architecture] = []
        for _ in 0..<250 {
            let a = try #require(try s.ask(count: 1).first)
            try s.tell(a, outcome: .succeeded(metric: try landscape.score(a)))
            told.append(a)
            #expect(s.population.count == min(told.count, 100))
            #expect(s.population.map(\.architecture) == Array(told.suffix(100)))
        }
        #expect(Set(told).count == 250)  // dedup
    }

    @Test func initialPopulationIsRandomThenChildrenAreMutationsOfTheTournamentWinner() throws {
        // sample_size == population_size: the tournament winner is the best member, which the test knows.
        let space = uniformSpace(decisions: 12, values: 6)
        let landscape = try SyntheticLandscape(space: space, seed: 2)
        var s = try RegularizedEvolution(space: space, seed: 8,
                                         config: .init(populationSize: 10, sampleSize: 10, mutationProb: 0.05))
        let initial = try s.ask(count: 10)
        #expect(try s.ask(count: 1).isEmpty)  // population empty, 10 running: wait for results
        for a in initial { try s.tell(a, outcome: .succeeded(metric: try landscape.score(a))) }
        // Random initial members are far apart (about 10 of 12 decisions differ).
        #expect(initial.dropFirst().allSatisfy { distance($0, initial[0]) >= 5 })
        for _ in 0..<40 {
            let winner = try #require(s.population.max { $0.metric < $1.metric }).architecture
            let child = try #require(try s.ask(count: 1).first)
            let d = distance(child, winner)
            #expect(d >= 1 && d <= 4, "child differs from the winner in \(d) decisions")
            try s.tell(child, outcome: .succeeded(metric: try landscape.score(child)))
        }
    }

    @Test func crossoverMixesTwoTournamentWinners() throws {
        let space = uniformSpace(decisions: 12, values: 6)
        var s = try RegularizedEvolution(space: space, seed: 21,
                                         config: .init(populationSize: 2, sampleSize: 1, mutationProb: 0.05, crossover: true))
        let parents = try s.ask(count: 2)
        try s.tell(parents[0], outcome: .succeeded(metric: 1))
        try s.tell(parents[1], outcome: .succeeded(metric: 2))
        let differing = space.labels.filter { parents[0][$0] != parents[1][$0] }
        #expect(differing.count >= 6)
        var mixed = 0
        for _ in 0..<30 {
            let child = try #require(try s.ask(count: 1).first)
            // Every decision comes from one parent, except the few that mutated.
            let foreign = space.labels.filter { child[$0] != parents[0][$0] && child[$0] != parents[1][$0] }
            #expect(foreign.count <= 4)
            if differing.contains(where: { child[$0] == parents[0][$0] })
                && differing.contains(where: { child[$0] == parents[1][$0] }) { mixed += 1 }
            try s.tell(child, outcome: .failed(reason: "keep the population fixed"))
        }
        #expect(s.population.count == 2)
        #expect(mixed >= 5)
    }

    @Test func failedTrialsNeverJoinAndAreReplacedInTheInitialPhase() throws {
        var s = try RegularizedEvolution(space: SyntheticLandscape.benchmarkSpace, seed: 3,
                                         config: .init(populationSize: 5, sampleSize: 2))
        let first = try s.ask(count: 5)
        #expect(first.count == 5)
        #expect(try s.ask(count: 1).isEmpty)
        for a in first { try s.tell(a, outcome: .failed(reason: "out of memory")) }
        #expect(s.population.isEmpty)
        let second = try s.ask(count: 5)  // the initial population is still missing: more random ones
        #expect(second.count == 5)
        #expect(Set(first).isDisjoint(with: second))
        try s.tell(second[0], outcome: .succeeded(metric: .nan))  // NaN counts as a failure
        try s.tell(second[1], outcome: .succeeded(metric: 0.5))
        #expect(s.population.map(\.architecture) == [second[1]])
        // 1 member + 3 running < 5: one more random architecture; then 1 + 4 = 5: a child of the only member.
        let third = try s.ask(count: 2)
        #expect(third.count == 2)
        #expect(third.allSatisfy { !first.contains($0) && !second.contains($0) })
        #expect((1...2).contains(distance(third[1], second[1])))
    }

    @Test func rejectsBadConfigurations() {
        #expect(diagnosticText { _ = try RegularizedEvolution.Config(populationSize: 10, sampleSize: 11) }
            .contains("sample_size must be between 1 and population_size (10)"))
        #expect(diagnosticText { _ = try RegularizedEvolution.Config(mutationProb: 1.5) }.contains("mutation_prob"))
        #expect(diagnosticText { _ = try RegularizedEvolution.Config(populationSize: 0) }.contains("population_size"))
    }

    @Test func smallSpaceIsExhaustedWithoutRepeats() throws {
        var s = try RegularizedEvolution(space: mixedSpace, seed: 5, config: .init(populationSize: 8, sampleSize: 3))
        var all: [Architecture] = []
        while !s.isExhausted {
            let batch = try s.ask(count: 3)
            #expect(!batch.isEmpty)
            for a in batch { try s.tell(a, outcome: .succeeded(metric: Double(all.count))) ; all.append(a) }
        }
        #expect(all.count == 72)
        #expect(Set(all).count == 72)
    }
}
