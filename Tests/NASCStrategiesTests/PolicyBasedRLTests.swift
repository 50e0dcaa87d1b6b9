// PolicyBasedRLTests: the `rl` strategy — registry alias and options, dedup, updates from rewards, failures.
import NASCIR
import NASCStrategies
import Testing

@Suite struct PolicyBasedRLTests {
    @Test func aliasAndTypedOptions() throws {
        let space = SyntheticLandscape.benchmarkSpace
        let s = try #require(try Strategies.make(name: "policy", space: space, seed: 1, options: [
            "hidden": "16", "tanh_constant": "0", "lr": "0.01", "batch_size": "3", "baseline_decay": "0.9",
            "entropy_weight": "0", "grad_clip": "0", "dedup": "no",
        ]) as? PolicyBasedRL)
        #expect(s.name == "rl")
        #expect(s.config == PolicyBasedRL.Config(hidden: 16, tanhConstant: 0, learningRate: 0.01, batchSize: 3,
                                                 baselineDecay: 0.9, entropyWeight: 0, gradClip: 0, dedup: false))
        #expect(s.controller.config.tanhConstant == nil && s.controller.config.gradClip == nil)
        #expect(diagnosticText { _ = try Strategies.make(name: "rl", space: space, seed: 1, options: ["batch": "3"]) }
            .contains("did you mean 'batch_size'?"))
        #expect(diagnosticText { _ = try Strategies.make(name: "rl", space: space, seed: 1, options: ["baseline_decay": "2"]) }
            .contains("option 'baseline_decay' of strategy 'rl' must be a number in [0.0, 1.0], got '2'"))
        let huge = SearchSpace(decisions: [Decision(label: "x", kind: .inputChoice(nCandidates: 13, nChosen: nil))])
        #expect(diagnosticText { _ = try PolicyBasedRL(space: huge, seed: 1) }.contains("decision 'x' has 8192 values"))
    }

    @Test func dedupCoversASmallSpaceExactlyOnce() throws {
        let space = uniformSpace(decisions: 2, values: 3)
        var s: any Strategy = try PolicyBasedRL(space: space, seed: 4)
        var seen: [Architecture] = []
        while !s.isExhausted {
            let batch = try s.ask(count: 2)
            if batch.isEmpty { break }
            for a in batch { seen.append(a); try s.tell(a, outcome: .succeeded(metric: 0.5)) }
        }
        #expect(seen.count == 9)
        #expect(Set(seen).count == 9)
        #expect(try s.ask(count: 1).isEmpty)
    }

    @Test func updatesEveryBatchOfSuccessesAndIgnoresFailures() throws {
        let space = uniformSpace(decisions: 3, values: 4)
        let s = try PolicyBasedRL(space: space, seed: 2, config: PolicyBasedRL.Config(batchSize: 3))
        let before = try s.controller.logProbability(of: [0, 0, 0])
        let archs = try s.ask(count: 5)
        try s.tell(archs[0], outcome: .failed(reason: "crash"))
        try s.tell(archs[1], outcome: .succeeded(metric: .nan))
        #expect(s.updates == 0 && s.baseline == nil)
        for a in archs[2...] { try s.tell(a, outcome: .succeeded(metric: 0.7)) }
        #expect(s.updates == 1)
        #expect(s.baseline != nil)
        #expect(try s.controller.logProbability(of: [0, 0, 0]) != before)
        try space.validate(try s.bestGuess())
        #expect(diagnosticText { try s.tell(archs[2], outcome: .succeeded(metric: 1)) }.contains("already told"))
    }
}
