// SubnetCheckTests: the enumeration fallback specializes every architecture of a small space and reports
// shape errors the passes find, naming the architecture.
import Testing
@testable import NASCFrontend
import NASCPasses
import NASCIR

@Suite struct SubnetCheckTests {
    @Test func everySubnetOfTheSmallExamplesIsValid() throws {
        for name in ["mnist", "digits", "mlp"] {
            let space = try ExampleSupport.compileExample(name)
            #expect(SubnetCheck.run(space, searchSpace: try SearchSpace(space)).isEmpty)
        }
    }

    @Test func aBrokenCandidateIsFoundByEnumeration() throws {
        var space = try ExampleSupport.compile("""
        input x: [1, 8, 8]
        c = x -> layer_choice("c") { small: conv2d(out: 2, kernel: 3), big: conv2d(out: 2, kernel: 3, padding: 1) }
        return c -> global_avg_pool
        """)
        // Break the IR behind the front end's back: the 'big' candidate's kernel no longer fits.
        let gi = try #require(space.graphs.firstIndex { $0.name == "c_big" })
        space.graphs[gi].nodes[0].op = .conv2d(Conv2DAttrs(outChannels: .int(2), kernel: .int(11)))
        space.graphs[gi].nodes[0].types = []
        let d = SubnetCheck.run(space, searchSpace: try SearchSpace(space))
        #expect(d.count == 1)
        #expect(d.first?.location == SourceLocation(file: "t.nas", line: 2, column: 69))
        #expect(d.first?.notes.last?.message == "in the architecture c = big")
    }

    @Test func largeSpacesAreLeftToTheSetChecker() throws {
        let space = try ExampleSupport.compileExample("nb201")
        #expect(SubnetCheck.run(space, searchSpace: try SearchSpace(space)).isEmpty)
    }
}
