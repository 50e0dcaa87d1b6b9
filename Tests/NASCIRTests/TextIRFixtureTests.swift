// Tests that the .nir fixtures parse, print back canonically and keep positions as locations.
import Foundation
import Testing
@testable import NASCIR

@Suite struct TextIRFixtureTests {
    @Test func fixturesExist() throws {
        #expect(try TextIRFixtures.names() == ["darts_cell.nir", "mnist.nir", "nb201.nir", "repeat_widths.nir"])
    }

    @Test(arguments: ["darts_cell.nir", "mnist.nir", "nb201.nir", "repeat_widths.nir"])
    func fixtureRoundTrips(_ name: String) throws {
        let text = try TextIRFixtures.text(name)
        let space = try TextIR.parse(text, file: name)
        // print(parse(t), locations: false) == t for canonical t (comments dropped).
        #expect(TextIR.print(space, locations: false) == (try TextIRFixtures.canonicalText(name)))
        // Every location is the node's position in the file, so printing with locations is lossless.
        #expect(try TextIR.parse(TextIR.print(space), file: "other.nir") == space)
        for g in space.graphs {
            #expect(g.location.file == name && g.location.line > 0 && g.location.column == 1)
            for n in g.nodes { #expect(n.location.file == name && n.location.column == 3) }
        }
    }

    @Test func windowsLineEndingsParseTheSame() throws {
        let text = try TextIRFixtures.text("mnist.nir")
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try TextIR.parse(crlf, file: "mnist.nir") == TextIR.parse(text, file: "mnist.nir"))
        #expect(try TextIR.parse("\u{FEFF}" + text, file: "mnist.nir") == TextIR.parse(text, file: "mnist.nir"))
    }

    @Test func mnistStructure() throws {
        let space = try TextIR.parse(try TextIRFixtures.text("mnist.nir"), file: "mnist.nir")
        #expect(space.name == "mnist" && space.root == "main")
        #expect(space.graphs.map(\.name) == ["main", "conv1_k3", "conv1_k5"])
        #expect(space.valueChoices.map(\.label) == ["width", "dropout", "feature"])
        #expect(space.valueChoice("dropout")?.values == [.float(0.25), .float(0.5), .float(0.75)])
        #expect(space.valueChoice("width")?.values == [.int(32), .int(64), .int(128)])
        #expect(space.valueChoice("width")?.location == NASCIR.SourceLocation(file: "mnist.nir", line: 4, column: 1))
        let main = try #require(space.rootGraph)
        #expect(main.inputs == [GraphInput(name: "x", type: .batched(1, 28, 28), location: NASCIR.SourceLocation(file: "mnist.nir", line: 8, column: 13))])
        let conv1 = try #require(main.node(named: "conv1"))
        #expect(conv1.op == .layerChoice(LayerChoiceOp(label: "conv1", candidates: [
            NamedGraph(name: "conv3", graph: "conv1_k3"), NamedGraph(name: "conv5", graph: "conv1_k5")])))
        #expect(conv1.types == [.batched(32, 28, 28)])
        #expect(conv1.location == NASCIR.SourceLocation(file: "mnist.nir", line: 9, column: 3))
        #expect(main.node(named: "skip")?.op == .inputChoice(InputChoiceOp(label: "skip", nChosen: 1, reduction: .sum)))
        #expect(main.node(named: "skip")?.inputs == [ValueRef("act2"), ValueRef("act3")])
        #expect(main.node(named: "fc1")?.op == .linear(LinearAttrs(outFeatures: .choice("feature"),
                                                                    inFeatures: .binary(.mul, .choice("width"), .int(49)))))
        #expect(main.node(named: "conv2")?.op == .conv2d(Conv2DAttrs(outChannels: .choice("width"), kernel: .int(3), padding: .same, inChannels: .int(32))))
        #expect(main.outputs == [ValueRef("out")])
        #expect(space.reachableGraphs == ["main", "conv1_k3", "conv1_k5"])
    }

    @Test func repeatAndCellStructure() throws {
        let rw = try TextIR.parse(try TextIRFixtures.text("repeat_widths.nir"), file: "r.nir")
        let body = try #require(rw.rootGraph?.node(named: "body"))
        #expect(body.op == .repeated(RepeatOp(label: "depth", depths: [1, 2, 3], blocks: ["block0", "block1", "block2"])))
        #expect(rw.rootGraph?.outputs == [ValueRef("prob"), ValueRef("fc")])
        let e = try #require(rw.graph(named: "block2")?.node(named: "e"))
        #expect(e.op == .conv2d(Conv2DAttrs(
            outChannels: .cond(.binary(.eq, .choice("expand"), .int(6)), .choice("width"),
                               .min([.binary(.mul, .choice("width"), .int(2)), .int(48)])),
            kernel: .int(3), padding: .same)))
        #expect(rw.valueChoice("ratio")?.values == [.float(0.5), .float(1.0), .float(2.5)])

        let darts = try TextIR.parse(try TextIRFixtures.text("darts_cell.nir"), file: "d.nir")
        #expect(darts.name == "darts cells")
        #expect(darts.rootGraph?.inputs.first?.name == "input image")
        guard case .cell(let reduce)? = darts.rootGraph?.node(named: "reduce")?.op else {
            Issue.record("reduce is not a cell"); return
        }
        #expect(reduce.merge == .looseEnd && reduce.numNodes == 4 && reduce.opsPerNode == 2)
        #expect(reduce.candidates.map(\.name) == ["max_pool", "sep_conv_3x3", "skip connect", "none"])
        #expect(reduce.inputCandidates.map(\.graph) == ["max_pool_3x3_s2", "sep3_s2", "skip_s2", "none_s2"])
        #expect(darts.rootGraph?.node(named: "stem.bn")?.inputs == [ValueRef("stem")])
    }
}
