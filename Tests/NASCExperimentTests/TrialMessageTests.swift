// TrialMessageTests: the trial line protocol, durations, budgets, fault selection and the benchmark curve.
import Foundation
import NASCIR
import Testing
@testable import NASCExperiment

@Suite struct TrialMessageTests {
    @Test func linesRoundTrip() throws {
        let messages: [TrialMessage] = [
            .overhead(startedAt: 1763800000.25, loadMs: 3.5, specializeMs: 0.75, compileMs: 2, params: 10, flops: nil),
            .intermediate(epoch: 1, metric: 0.91),
            .final(metric: 0.97, params: 1234, flops: 5678),
            .final(metric: 1.0, params: 7, flops: nil, loss: 0.0625),
            .error(kind: "diverged", message: "loss is NaN at epoch 2"),
        ]
        for m in messages { #expect(try TrialMessage.parse(m.line) == m) }
        #expect(TrialMessage.intermediate(epoch: 1, metric: 0.91).line == #"{"epoch":1,"metric":0.91,"type":"intermediate"}"#)
    }

    @Test func issueExampleLinesParse() throws {
        #expect(try TrialMessage.parse(#"{"type":"intermediate","epoch":1,"metric":0.91}"#) == .intermediate(epoch: 1, metric: 0.91))
        #expect(try TrialMessage.parse(#"{"type":"final","metric":0.97,"params":42}"#) == .final(metric: 0.97, params: 42, flops: nil))
    }

    @Test func malformedLinesAreRejectedWithAReason() {
        let bad = [
            ("garbage", "not a JSON trial message: garbage"),
            (#"{"type":"final","metric":1,"loss":1e999}"#, #"not a JSON trial message: {"type":"final","metric":1,"loss":1e999}"#),
            (#"{"type":"final"}"#, #"'final' message without 'metric': {"type":"final"}"#),
            (#"{"type":"final","metric":NaN}"#, #"not a JSON trial message: {"type":"final","metric":NaN}"#),
            (#"{"type":"progress","epoch":1}"#, #"unknown message type 'progress': {"type":"progress","epoch":1}"#),
            (#"{"type":"intermediate","epoch":-1,"metric":0.1}"#, #"negative epoch: {"type":"intermediate","epoch":-1,"metric":0.1}"#),
            (#"[1,2]"#, "not a JSON trial message: [1,2]"),
        ]
        for (line, reason) in bad {
            let e = #expect(throws: TrialMessage.Malformed.self) { _ = try TrialMessage.parse(line) }
            #expect(e?.reason == reason)
        }
    }

    @Test func durations() {
        #expect(DurationParser.seconds("90") == 90)
        #expect(DurationParser.seconds("30s") == 30)
        #expect(DurationParser.seconds("10m") == 600)
        #expect(DurationParser.seconds("1.5h") == 5400)
        #expect(DurationParser.seconds("2d") == 172800)
        for bad in ["", "m", "-5m", "0", "ten", "5x", "nan", "inf"] { #expect(DurationParser.seconds(bad) == nil, "\(bad)") }
        #expect(DurationParser.describe(600) == "10m")
        #expect(DurationParser.describe(5430) == "1h30m30s")
        #expect(DurationParser.describe(1.5) == "1.5s")
    }

    @Test func budgetUsesTheSpecializedSubnetsCost() throws {
        let space = try Fixtures.space()
        let wide = Architecture(["act": .candidate("relu"), "width": .value(.int(16))])
        let narrow = Architecture(["act": .candidate("tanh"), "width": .value(.int(4))])
        #expect(try Budget.cost(of: wide, in: space)?.params == 114)
        #expect(try Budget.cost(of: narrow, in: space)?.params == 30)
        let budget = Budget(maxParams: 100)
        #expect(try budget.check(wide, in: space) == "outside the budget: 114 parameters > limit 100")
        #expect(try budget.check(narrow, in: space) == nil)
        let flops = try #require(try Budget.cost(of: narrow, in: space)?.flops)
        #expect(try Budget(maxFlops: flops - 1).check(narrow, in: space)?.hasSuffix("FLOPs > limit \(Budget.group(flops - 1))") == true)
        #expect(Budget(maxParams: 1).rejection(for: nil) == "outside the budget: the subnet's cost is unknown (shapes are not fixed)")
        #expect(try Budget().check(wide, in: space) == nil)
    }

    @Test func faultSelection() {
        let arch = Architecture(["act": .candidate("tanh"), "width": .value(.int(8))])
        let f = FaultInjection(crashEvery: 4, nanEvery: 2, garbageEvery: 3, failWhen: ["act": "tanh"])
        #expect(f.fault(trialID: 4, architecture: arch) == .crash)
        #expect(f.fault(trialID: 2, architecture: arch) == .nan)
        #expect(f.fault(trialID: 3, architecture: arch) == .garbage)
        #expect(f.fault(trialID: 1, architecture: arch) == .fail("injected failure: act = tanh"))
        #expect(FaultInjection(crashEvery: 2).fault(trialID: nil, architecture: arch) == nil)
        #expect(FaultInjection().isEmpty)
    }

    struct ConstantTable: BenchmarkTable {
        var value: Double
        func score(_ architecture: Architecture) -> Double { value }
    }

    @Test func benchmarkCurveEndsAtTheTableValue() throws {
        let space = try Fixtures.space()
        let arch = Architecture(["act": .candidate("relu"), "width": .value(.int(4))])
        let subject = TrialSubject(space: space, architecture: arch, subnet: space)
        var seen: [Double] = []
        let m = try BenchmarkEvaluator(table: ConstantTable(value: 0.8), epochs: 3).evaluate(subject) { _, v in seen.append(v) }
        #expect(m.final == 0.8 && seen.count == 3 && seen.last == 0.8)
        #expect(seen[0] < seen[1] && seen[1] < seen[2])
        #expect(abs(seen[0] - 0.8 * 0.5 / 0.875) < 1e-12)
    }

    @Test func trialRunnerReportsOverheadEpochsAndFinal() throws {
        let space = try Fixtures.space()
        let arch = Architecture(["act": .candidate("relu"), "width": .value(.int(8))])
        let text = try ArchitectureJSON.write(arch, space: try SearchSpace(space))
        var lines: [TrialMessage] = []
        let runner = TrialRunner(evaluator: BenchmarkEvaluator(table: ConstantTable(value: 0.7), epochs: 2))
        let outcome = runner.run(loadSpace: { space }, architectureText: text, architecturePath: "a.json", startedAt: 5) { lines.append($0) }
        #expect(outcome.exitCode == 0)
        guard case .overhead(let started, _, _, _, let params, _) = lines.first else { Issue.record("no overhead line"); return }
        #expect(started == 5 && params == 58)
        #expect(Array(lines.dropFirst()) == [.intermediate(epoch: 1, metric: 0.7 * 0.5 / 0.75), .intermediate(epoch: 2, metric: 0.7),
                                            .final(metric: 0.7, params: 58, flops: lines.last.flatMap { if case .final(_, _, let f, _, _) = $0 { f } else { nil } })])
    }

    @Test func trialRunnerFailsOnBadArchitectureBudgetAndNaN() throws {
        let space = try Fixtures.space()
        var lines: [TrialMessage] = []
        let runner = TrialRunner(evaluator: BenchmarkEvaluator(table: ConstantTable(value: .nan)))
        let bad = runner.run(loadSpace: { space }, architectureText: "{\"act\": \"gelu\", \"width\": 4}", architecturePath: "a.json",
                             startedAt: 0) { lines.append($0) }
        #expect(bad.exitCode == 1)
        guard case .error(let kind, let message) = lines.last else { Issue.record("no error line"); return }
        #expect(kind == "input" && message.hasPrefix("a.json:1:2: error: "))

        let good = "{\"act\": \"relu\", \"width\": 16}"
        lines = []
        let over = TrialRunner(evaluator: BenchmarkEvaluator(table: ConstantTable(value: 0.5)), budget: Budget(maxParams: 100))
            .run(loadSpace: { space }, architectureText: good, architecturePath: "a.json", startedAt: 0) { lines.append($0) }
        #expect(over == .failed(kind: "budget", message: "outside the budget: 114 parameters > limit 100", diagnostic: nil))
        #expect(!lines.contains { if case .intermediate = $0 { true } else { false } })

        lines = []
        let nan = runner.run(loadSpace: { space }, architectureText: good, architecturePath: "a.json", startedAt: 0) { lines.append($0) }
        #expect(nan == .failed(kind: "diverged", message: "the benchmark table gives a non-finite metric", diagnostic: nil))
        #expect(lines.last == .error(kind: "diverged", message: "the benchmark table gives a non-finite metric"))
    }
}
