// PassTimerTests: --time-passes bookkeeping — every pass and verifier run of a pipeline is timed, nesting, report.
import Testing
import NASCIR
@testable import NASCPasses

@Suite struct PassTimerTests {
    static let text = """
    space "t" version 1 root @main
    graph @main(%x: f32[N,4]) {
      %a = relu(%x)
      %b = identity(%a)
      return %b
    }
    """

    @Test func passManagerTimesEveryPassAndVerifierRun() throws {
        var space = try TextIR.parse(Self.text, file: "t.nir")
        var manager = try PassManager(pipeline: "canonicalize,dce,shape-infer")
        let timer = PassTimer()
        manager.timer = timer
        var ctx = PassContext()
        try manager.runOrThrow(on: &space, context: &ctx)
        #expect(timer.entries.map(\.name) == ["verify", "canonicalize", "verify", "dce", "verify", "shape-infer", "verify"])
        #expect(timer.entries.allSatisfy { $0.depth == 0 && $0.seconds >= 0 && $0.cpuSeconds >= 0 })
        #expect(abs(timer.total - timer.entries.reduce(0) { $0 + $1.seconds }) < 1e-12)
        let report = timer.report()
        for name in ["canonicalize", "dce", "shape-infer", "Total Execution Time", "Total"] { #expect(report.contains(name)) }
    }

    @Test func nestedStagesAreIndentedAndNotCountedTwice() throws {
        let timer = PassTimer()
        let v = timer.measure("outer") { timer.measure("inner") { 41 } + 1 }
        #expect(v == 42)
        #expect(timer.entries.map(\.name) == ["outer", "inner"] && timer.entries.map(\.depth) == [0, 1])
        #expect(timer.total == timer.entries[0].seconds)
        #expect(timer.entries[1].seconds <= timer.entries[0].seconds)
        #expect(timer.report().contains("    inner"))
        struct Boom: Error {}
        #expect(throws: Boom.self) { try timer.measure("fails") { throw Boom() } }
        #expect(timer.entries.last?.name == "fails" && timer.entries.last?.depth == 0)
        let none: PassTimer? = nil
        #expect(none.measure("x") { 7 } == 7)
    }
}
