// OneShotToolTests: the CLI library side of one-shot search reports bad modes and strategies as located errors, and
// compiles a supernet plan with selectors.
import Testing
import NASCIR
import NASCTool

@Suite struct OneShotToolTests {
    static let space = """
    space "t" version 1 root @main
    graph @main(%x: f32[N,4]) {
      %c = layer_choice(%x) {label = "op", candidates = [a = @a, b = @b]}
      %o = linear(%c) {out = 2}
      return %o
    }
    graph @a(%x: f32[N,4]) {
      %y = linear(%x) {out = 4}
      return %y
    }
    graph @b(%x: f32[N,4]) {
      %y = relu(%x)
      return %y
    }
    """

    @Test func badModeAndStrategyAreLocatedErrors() throws {
        let s = try TextIR.parse(Self.space, file: "t.nir")
        do { _ = try OneShotTool.plan(s, mode: "bogus", options: TrainOptions(), training: true); Issue.record("no error") }
        catch let e as DiagnosticError { #expect(e.diagnostics.first?.location.file == "--supernet") }
        do { _ = try OneShotTool.search(s, strategy: "reinforce", options: TrainOptions()) { _ in }; Issue.record("no error") }
        catch let e as DiagnosticError {
            #expect(e.diagnostics.first?.location.file == "--strategy")
            #expect(e.diagnostics.first?.message.contains("unknown one-shot strategy 'reinforce'") == true)
        }
        do { _ = try OneShotTool.search(s, strategy: "tpe", options: TrainOptions()) { _ in }; Issue.record("no error") }
        catch let e as DiagnosticError {
            #expect(e.diagnostics.first?.message.contains("unknown one-shot strategy 'tpe'") == true)
        }
    }

    @Test func supernetPlansHaveSelectorsOrArchitectureWeights() throws {
        let s = try TextIR.parse(Self.space, file: "t.nir")
        let sampled = try OneShotTool.plan(s, mode: "sampled", options: TrainOptions(), training: true)
        #expect(sampled.selectors == [PlanSelector(label: "op", candidates: ["a", "b"])])
        let darts = try OneShotTool.plan(s, mode: "darts", options: TrainOptions(), training: true)
        #expect(darts.slots.contains { $0.name == "arch:op" && $0.role == .parameter })
    }
}
