// Tests for deriving the flat decision list from a model space: order, merging, nesting, cells and errors.
import Testing
@testable import NASCIR

@Suite struct SearchSpaceTests {
    typealias F = SpaceFixtures

    @Test func decisionsAreDepthFirstInFirstAppearanceOrder() throws {
        let s = try SearchSpace(F.nested())
        // conv1, then its candidate gb (width, act), then skip and depth, then depth's block b0.
        #expect(s.labels == ["conv1", "width", "act", "skip", "depth", "blk0op"])
        #expect(s.decision("conv1")?.kind == .layerChoice(candidates: ["a", "b"]))
        #expect(s.decision("skip")?.kind == .inputChoice(nCandidates: 2, nChosen: 1))
        #expect(s.decision("depth")?.kind == .repeatDepth(depths: [1, 2]))
        #expect(s.decision("width")?.kind == .valueChoice(values: [.int(8), .int(16)]))
        // Declared first, then every use (gb's conv at line 20, main's conv at line 6).
        #expect(s.decision("width")?.locations == [F.loc(2), F.loc(20), F.loc(6)])
        #expect(s.decision("unused") == nil)
    }

    @Test func equalLabelsMergeIntoOneDecision() throws {
        var m = F.nested()
        var root = m.rootGraph!
        root.nodes.append(Node(name: "again", op: F.layerChoice("conv1", [("a", "ga"), ("b", "gb")]),
                               inputs: [ValueRef("rp")], location: F.loc(9)))
        root.outputs = [ValueRef("again")]
        m.update(root)
        let s = try SearchSpace(m)
        #expect(s.labels.filter { $0 == "conv1" }.count == 1)
        #expect(s.decision("conv1")?.locations == [F.loc(5), F.loc(9)])
        #expect(s.size == 64)
    }

    @Test func incompatibleReuseNamesTheLabelAtBothPlaces() throws {
        var m = F.nested()
        var root = m.rootGraph!
        root.nodes.append(Node(name: "again", op: F.layerChoice("conv1", [("a", "ga"), ("c", "gb")]),
                               inputs: [ValueRef("rp")], location: F.loc(9)))
        m.update(root)
        let e = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e.description == "t.nas:9:1: error: label 'conv1' is reused with a different choice: layer choice over [a, c] here, layer choice over [a, b] at t.nas:5:1")
        #expect(e.diagnostics[0].notes.first?.location == F.loc(5))
    }

    @Test func differentKindsWithOneLabelConflict() throws {
        var m = F.nested()
        m.valueChoices.append(ValueChoiceDecl(label: "skip", values: [.int(1)], location: F.loc(1)))
        var root = m.rootGraph!
        root.nodes.append(Node(name: "d", op: .dropout(p: .choice("skip")), inputs: [ValueRef("rp")], location: F.loc(9)))
        m.update(root)
        let e = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e.description == "t.nas:9:1: error: label 'skip' is reused with a different choice: value choice [1] here, input choice of 1 among 2 at t.nas:7:1")
    }

    @Test func undeclaredValueChoiceIsAnError() throws {
        var m = F.nested()
        m.valueChoices.removeAll { $0.label == "width" }
        let e = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e.diagnostics.map(\.description) == [
            "t.nas:20:1: error: value choice 'width' is not declared",
            "t.nas:6:1: error: value choice 'width' is not declared",
        ])
    }

    @Test func emptyOrInvalidChoicesAreErrors() throws {
        let bad = F.inputChoice(n: 3, nChosen: 4)
        let e = try #require(throws: DiagnosticError.self) { try SearchSpace(bad) }
        #expect(e.description == "t.nas:4:1: error: input choice 'pick' has n_chosen = 4, but it must be between 1 and its 3 inputs")
        var m = F.nested()
        m.graphs[0].nodes[0].op = F.layerChoice("conv1", [])
        let e2 = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e2.description == "t.nas:5:1: error: layer choice 'conv1' has no candidates")
        m.graphs[0].nodes[0].op = F.layerChoice("conv1", [("a", "ga"), ("a", "gb")])
        let e3 = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e3.description == "t.nas:5:1: error: layer choice 'conv1' has two candidates named 'a'")
        m = F.nested()
        m.graphs[0].nodes[3].op = .repeated(RepeatOp(label: "depth", depths: [1, 3], blocks: ["b0", "b1"]))
        let e4 = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e4.description == "t.nas:8:1: error: repeat 'depth' has depth 3, but it has 2 blocks")
    }

    @Test func cellDecisionsFollowNNINaming() throws {
        let s = try SearchSpace(F.darts())
        // 2 cells x 4 nodes x 2 ops x (input, op).
        #expect(s.decisions.count == 32)
        #expect(Array(s.labels.prefix(5)) == ["normal/input_2_0", "normal/op_2_0", "normal/input_2_1", "normal/op_2_1", "normal/input_3_0"])
        #expect(s.decision("normal/input_2_0")?.kind == .inputChoice(nCandidates: 2, nChosen: 1))
        #expect(s.decision("normal/input_5_1")?.kind == .inputChoice(nCandidates: 5, nChosen: 1))
        #expect(s.decision("reduce/op_4_0")?.kind == .layerChoice(candidates: [
            "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5"]))
        #expect(s.decision("normal/op_5_1")?.locations == [F.loc(4)])
    }

    @Test func theVerifierUsesTheSameCellLabels() throws {
        var m = F.darts()
        m.valueChoices.append(ValueChoiceDecl(label: "normal/op_5_1", values: [.int(1)], location: F.loc(1)))
        m.graphs[0].nodes.append(Node(name: "d", op: .dropout(p: .choice("normal/op_5_1")), inputs: [ValueRef("c1")], location: F.loc(6)))
        let e = try #require(throws: DiagnosticError.self) { try SearchSpace(m) }
        #expect(e.diagnostics.map(\.message) == [
            "label 'normal/op_5_1' is reused with a different choice: value choice [1] here, layer choice over [none, max_pool_3x3, avg_pool_3x3, skip_connect, sep_conv_3x3, sep_conv_5x5, dil_conv_3x3, dil_conv_5x5] at t.nas:4:1",
        ])
        #expect(Verifier.verify(m).contains { $0.message == "label 'normal/op_5_1' is used for incompatible choices" })
        // Labels of NNI's numbering only: node 0 of a 2-predecessor cell is node 2.
        m = F.darts()
        m.valueChoices.append(ValueChoiceDecl(label: "normal/op_0_0", values: [.int(1)], location: F.loc(1)))
        m.graphs[0].nodes.append(Node(name: "d", op: .dropout(p: .choice("normal/op_0_0")), inputs: [ValueRef("c1")], location: F.loc(6)))
        #expect(try SearchSpace(m).decision("normal/op_0_0")?.kind == .valueChoice(values: [.int(1)]))
        #expect(!Verifier.verify(m).contains { $0.message.contains("incompatible") })
    }

    @Test func emptySpaceHasOneArchitecture() throws {
        let m = ModelSpace(name: "fixed", root: "main", graphs: [F.block("main", .identity)])
        let s = try SearchSpace(m)
        #expect(s.decisions.isEmpty)
        #expect(s.size == 1)
        #expect(Array(s.allArchitectures()) == [Architecture()])
    }
}
