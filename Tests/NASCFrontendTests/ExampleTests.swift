// ExampleTests: every shipped example parses, verifies, round-trips through text IR and protobuf, and has
// the expected space size; the NNI guide's original MNIST space is rejected with both shapes.
import Testing
import Foundation
import NASCFrontend
import NASCIR
import NASCPasses

@Suite struct ExampleTests {
    @Test(arguments: ExampleSupport.examples)
    func exampleCompilesVerifiesAndRoundTrips(_ name: String) throws {
        let space = try ExampleSupport.compileExample(name)
        #expect(Verifier.verify(space).filter { $0.severity == .error }.isEmpty)
        #expect(space.rootGraph != nil)
        // Every node carries its .nas location.
        for g in space.graphs { for n in g.nodes { #expect(n.location.file == "examples/\(name).nas" && n.location.line > 0) } }
        // Text IR round trip.
        let text = TextIR.print(space)
        let back = try TextIR.parse(text, file: "\(name).nir")
        #expect(back == space)
        #expect(TextIR.print(back) == text)
        // Protobuf round trip.
        let bytes = try ProtoIO.encode(space)
        guard case .space(let decoded) = try ProtoIO.decodeFile(bytes, file: "\(name).pb") else {
            Issue.record("decoded payload is not a space"); return
        }
        #expect(decoded == space)
        #expect(try ProtoIO.encode(decoded) == bytes)
    }

    @Test(arguments: ExampleSupport.examples)
    func typesAgreeWithShapeInference(_ name: String) throws {
        // The front end's node types and subgraph input types must be what the shape-infer pass computes.
        var space = try ExampleSupport.compileExample(name)
        var context = PassContext()
        let result = try PassManager(pipeline: "check").run(on: &space, context: &context)
        #expect(result.succeeded, "\(result.lines.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("mnist", "12"),           // conv1 {2} x skip {2} x hidden {3}
        ("nb201", "15625"),        // 5^6, labels shared by all 15 cells
        ("mlp", "36"),             // width {3} x depth {4} x activation {3}
        ("digits", "24"),          // conv1 {2} x width {2} x skip {2} x hidden {3}
        ("textnas", "805306368"),  // op {8}^5 x input {2 x 3 x 4} x skip on/off {2}^(1+2+3+4)
    ])
    func spaceSize(_ name: String, _ expected: String) throws {
        let space = try ExampleSupport.compileExample(name)
        #expect("\(try SearchSpace(space).size)" == expected)
    }

    @Test func dartsSpace() throws {
        let space = try ExampleSupport.compileExample("darts")
        let ss = try SearchSpace(space)
        // Two cell types x 4 nodes x 2 inputs, each an input choice and an op choice.
        #expect(ss.decisions.count == 2 * 4 * 2 * 2)
        // Node m of a cell with 2 predecessors chooses among 2 + m tensors and 8 ops for each of 2 inputs:
        // per cell type (16*24*32*40)^2; two cell types.
        let perNodePair = 16 * 24 * 32 * 40
        #expect("\(ss.size)" == BigProduct.of([perNodePair, perNodePair, perNodePair, perNodePair]))
        let cells = space.graphs.flatMap(\.nodes).filter { $0.op.kind == .cell }
        #expect(cells.count == 8)
        let reduce = cells.filter { if case .cell(let c) = $0.op { return c.label == "reduce" }; return false }
        #expect(reduce.count == 2)
        // The last cell outputs 4 nodes x 64 channels at 8x8.
        #expect(cells.last?.type == TensorType.batched(256, 8, 8))
    }

    @Test func enasMacroSpace() throws {
        let space = try ExampleSupport.compileExample("enas_macro")
        let ss = try SearchSpace(space)
        // 12 layer choices of 6 ops, and skip choices (any subset) for layers 1..11 over their earlier layers.
        let layers = ss.decisions.filter { $0.label.hasPrefix("layer_") }
        let skips = ss.decisions.filter { $0.label.hasPrefix("skip_") }
        #expect(layers.count == 12)
        #expect(skips.count == 11)
        for d in layers { #expect(d.kind == .layerChoice(candidates: ["conv3x3", "conv5x5", "sepconv3x3", "sepconv5x5", "maxpool", "avgpool"])) }
        for (i, d) in skips.sorted(by: { Int($0.label.dropFirst(5))! < Int($1.label.dropFirst(5))! }).enumerated() {
            #expect(d.kind == .inputChoice(nCandidates: i + 1, nChosen: nil))
        }
        // 6^12 x 2^(1+2+...+11)
        #expect("\(ss.size)" == BigProduct.of(Array(repeating: 6, count: 12) + Array(repeating: 2, count: 66)))
    }

    @Test func mobilenetSpace() throws {
        let space = try ExampleSupport.compileExample("mobilenet")
        let ss = try SearchSpace(space)
        // width multiplier, 5 stage depths, and (expand, kernel) for 5 stages x 4 blocks + the last block.
        #expect(ss.decisions.filter { if case .repeatDepth = $0.kind { return true }; return false }.count == 5)
        #expect(ss.decision("width_mult")?.kind == .valueChoice(values: [.float(0.75), .float(1.0), .float(1.25)]))
        let expands = ss.decisions.filter { $0.label.hasSuffix("/expand") }
        let kernels = ss.decisions.filter { $0.label.hasSuffix("/kernel") }
        #expect(expands.count == 21 && kernels.count == 21)
        // 3 widths x 3^5 depths x (2 expansions x 3 kernels)^21
        #expect("\(ss.size)" == BigProduct.of([3] + Array(repeating: 3, count: 5) + Array(repeating: 6, count: 21)))
        // The head sees 1280 channels at 7x7 whatever the choices.
        let main = try #require(space.rootGraph)
        #expect(main.nodes.last?.type == TensorType.batched(1000))
    }

    @Test func mnistGuideOriginalIsRejectedWithBothShapes() throws {
        let path = "Tests/NASCFrontendTests/Diagnostics/mnist_guide.nas"
        let src = try ExampleSupport.read(path)
        let rendered = try #require(ExampleSupport.diagnostics(src, file: path))
        #expect(rendered.contains("\(path):11:12: error: linear expects 9216 input features, but gets 576"))
        #expect(rendered.contains("when conv1 = conv5x5"))
        #expect(rendered.contains("\(path):7:5: note: candidate 'conv5x5' of layer choice 'conv1' produces f32[N,32,8,8]"))
        #expect(rendered.contains("\(path):6:5: note: candidate 'conv3x3' of layer choice 'conv1' produces f32[N,32,26,26], which is accepted"))
    }

    @Test func examplesStartWithADescriptiveComment() throws {
        for name in ExampleSupport.examples {
            let src = try ExampleSupport.read("examples/\(name).nas")
            #expect(src.hasPrefix("# \(name).nas: "))
        }
    }
}

/// Decimal product of small integers (avoids overflow when stating expected sizes).
enum BigProduct {
    static func of(_ xs: [Int]) -> String {
        var digits: [Int] = [1]  // little-endian base 10
        for x in xs {
            var carry = 0
            for i in digits.indices {
                let v = digits[i] * x + carry
                digits[i] = v % 10; carry = v / 10
            }
            while carry > 0 { digits.append(carry % 10); carry /= 10 }
        }
        return digits.reversed().map(String.init).joined()
    }
}
