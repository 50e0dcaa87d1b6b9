// EarlyStoppingTests: the median stopping rule and ASHA against hand-worked examples.
import NASCIR
import Testing
@testable import NASCExperiment

@Suite struct EarlyStoppingTests {
    @Test func medianRuleComparesTheBestSoFarWithTheLowerMedianOfRunningAverages() throws {
        var m = try EarlyStopping(.median(startStep: 0))
        // Nothing completed yet: never stop.
        do { let stop = m.shouldStop(trial: 9, curve: [0.0]); #expect(!stop) }
        // Running averages: A [0.5, 0.6, 0.7], B [0.3, 0.4, 0.5], C [0.6, 0.6] (2 epochs only).
        m.completed(trial: 1, curve: [0.5, 0.7, 0.9])
        m.completed(trial: 2, curve: [0.3, 0.5, 0.7])
        m.completed(trial: 3, curve: [0.6, 0.6])
        // Epoch 1: averages 0.3, 0.5, 0.6 -> lower median 0.5.
        do { let stop = m.shouldStop(trial: 4, curve: [0.35]); #expect(stop) }
        do { let stop = m.shouldStop(trial: 5, curve: [0.55]); #expect(!stop) }
        do { let stop = m.shouldStop(trial: 5, curve: [0.5]); #expect(!stop) }            // not strictly below
        // Epoch 3: only A and B reached it: averages 0.5, 0.7 -> lower median 0.5; the best so far counts.
        do { let stop = m.shouldStop(trial: 6, curve: [0.1, 0.2, 0.55]); #expect(!stop) }
        do { let stop = m.shouldStop(trial: 7, curve: [0.1, 0.2, 0.45]); #expect(stop) }
        do { let stop = m.shouldStop(trial: 8, curve: [0.52, 0.2, 0.45]); #expect(!stop) } // best 0.52 >= 0.5
        // Epoch 4: no completed trial reached it.
        do { let stop = m.shouldStop(trial: 8, curve: [0, 0, 0, 0]); #expect(!stop) }
        // start_step 2: epoch 1 is never judged.
        var late = try EarlyStopping(.median(startStep: 2))
        late.completed(trial: 1, curve: [0.9, 0.9])
        do { let stop = late.shouldStop(trial: 2, curve: [0.1]); #expect(!stop) }
        do { let stop = late.shouldStop(trial: 2, curve: [0.1, 0.1]); #expect(stop) }
    }

    @Test func ashaStopsBelowTheTopFractionAtEachRung() throws {
        var a = try EarlyStopping(.asha(grace: 1, reductionFactor: 3, maxEpochs: 9))
        #expect(a.rungs == [1, 3])
        do { let stop = a.shouldStop(trial: 1, curve: [0.5]); #expect(!stop) }             // first at rung 1
        do { let stop = a.shouldStop(trial: 2, curve: [0.4]); #expect(stop) }              // cutoff: 66.7th percentile of [0.5] = 0.5
        do { let stop = a.shouldStop(trial: 3, curve: [0.6]); #expect(!stop) }             // cutoff of [0.4, 0.5]: 0.4667
        do { let stop = a.shouldStop(trial: 3, curve: [0.6, 0.65]); #expect(!stop) }       // epoch 2: no new rung
        do { let stop = a.shouldStop(trial: 3, curve: [0.6, 0.65, 0.7]); #expect(!stop) }  // first at rung 3
        do { let stop = a.shouldStop(trial: 1, curve: [0.5, 0.55, 0.62]); #expect(stop) }  // below 0.7 at rung 3
        do { let stop = a.shouldStop(trial: 4, curve: [0.45]); #expect(stop) }             // cutoff of [0.4, 0.5, 0.6]: 0.5333
        do { let stop = a.shouldStop(trial: 4, curve: [0.45]); #expect(!stop) }            // a rung is judged once per trial
        #expect(abs((EarlyStopping.percentile([0.4, 0.5, 0.6], 100 * (2.0 / 3)) ?? 0) - 0.5333333333333333) < 1e-12)
        #expect(try EarlyStopping(.asha(grace: 1, reductionFactor: 4, maxEpochs: 20)).rungs == [1, 4, 16])
        #expect(try EarlyStopping(.asha(grace: 2, reductionFactor: 3, maxEpochs: 18)).rungs == [2, 6])
    }

    @Test func optionsAreParsedAndChecked() throws {
        #expect(try EarlyStopping.parse("asha", options: [:], epochs: 12).rule == .asha(grace: 1, reductionFactor: 4, maxEpochs: 12))
        #expect(try EarlyStopping.parse("asha", options: ["grace": "2", "reduction_factor": "3"], epochs: 12).rule
            == .asha(grace: 2, reductionFactor: 3, maxEpochs: 12))
        #expect(try EarlyStopping.parse("median", options: ["start_step": "3"], epochs: 5).rule == .median(startStep: 3))
        for (name, options) in [("halving", [String: String]()), ("asha", ["reduction_factor": "1"]), ("asha", ["grace": "x"]),
                                ("median", ["grace": "1"]), ("median", ["start_step": "-1"])] {
            #expect(throws: DiagnosticError.self) { _ = try EarlyStopping.parse(name, options: options, epochs: 5) }
        }
    }
}
