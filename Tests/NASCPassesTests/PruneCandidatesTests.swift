// PruneCandidatesTests: `prune-candidates` and `skip-dropout` keep node names and locations (the golden files print
// none), the pdarts-stage pipeline composes them, and the text form of `remove` rejects malformed items.
import Testing
import NASCIR
import NASCPasses

@Suite struct PruneCandidatesTests {
    static let text = """
    space "t" version 1 root @main

    graph @main(%x: f32[N,4] loc("s.nas":1:1)) loc("s.nas":1:1) {
      %a = layer_choice(%x) {label = "op", candidates = [lin = @lin, skip = @skip, id = @id]} loc("s.nas":3:5)
      %r = repeat(%a) {label = "d", depths = [1, 2], blocks = [@lin, @lin]} loc("s.nas":4:5)
      return %r
    }

    graph @lin(%x: f32[N,4] loc("s.nas":7:1)) loc("s.nas":7:1) {
      %y = linear(%x) {out = 4} loc("s.nas":8:5)
      return %y
    }

    graph @skip(%x: f32[N,4] loc("s.nas":10:1)) loc("s.nas":10:1) {
      return %x
    }

    graph @id(%x: f32[N,4] loc("s.nas":13:1)) loc("s.nas":13:1) {
      %i = identity(%x) loc("s.nas":14:9)
      return %i
    }
    """

    func run(_ passes: [any Pass], on space: ModelSpace) throws -> ModelSpace {
        var s = space
        var context = PassContext()
        try PassManager(compiling: passes).runOrThrow(on: &s, context: &context)
        return s
    }

    @Test func theStagePipelineKeepsNamesAndLocations() throws {
        let space = try TextIR.parse(Self.text, file: "t.nir")
        let prune = PruneCandidatesOptions(removals: [.init(label: "op", candidates: ["lin"]), .init(label: "d", candidates: ["1"])])
        let out = try run(Pipelines.pdartsStage(prune: prune, skipDropout: SkipDropoutOptions(probability: 0.5)), on: space)
        let main = try #require(out.rootGraph)
        #expect(main.nodes.map(\.name) == ["a", "r"])
        #expect(main.nodes.map(\.location) == space.rootGraph?.nodes.map(\.location))
        guard case .layerChoice(let lc)? = main.node(named: "a")?.op, case .repeated(let r)? = main.node(named: "r")?.op else {
            Issue.record("the choices changed kind"); return
        }
        #expect(lc.candidates.map(\.name) == ["skip", "id"])
        #expect(r.depths == [2] && r.blocks == ["lin", "lin"])
        // Dropout after the direct skip takes the candidate graph's location, after the identity the identity's.
        let skip = try #require(out.graph(named: "skip")?.nodes.first)
        let id = try #require(out.graph(named: "id")?.nodes.last)
        #expect(skip.name == "skip_dropout" && skip.location == SourceLocation(file: "s.nas", line: 10, column: 1))
        #expect(id.name == "skip_dropout" && id.location == SourceLocation(file: "s.nas", line: 14, column: 9))
        guard case .dropout(let p) = id.op else { Issue.record("not a dropout: \(id.op)"); return }
        #expect(p.constant?.asDouble == 0.5)
        // The linear candidate is untouched; p = 0 inserts nothing.
        #expect(out.graph(named: "lin") == space.graph(named: "lin"))
        #expect(try run([SkipDropout()], on: space) == space)
    }

    @Test func malformedRemoveOptionsAreErrors() throws {
        for spec in ["prune-candidates{remove=op}", "prune-candidates{remove=op:}", "prune-candidates{remove=:lin}",
                     "prune-candidates{remove=op:lin||skip}", "skip-dropout{p=1}", "skip-dropout{p=-0.1}"] {
            #expect(throws: DiagnosticError.self, "\(spec)") { _ = try Pipelines.resolve(spec) }
        }
        let ok = try Pipelines.resolve("pdarts-stage{remove=op:lin;d:1,p=0.2}")
        #expect(ok.map(\.name) == ["prune-candidates", "skip-dropout"])
    }
}
