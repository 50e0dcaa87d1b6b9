// Round trips through the protobuf form: decode(encode(x)) == x, and encoding is byte-deterministic.
import Testing
@testable import NASCIR

@Suite struct ProtoRoundTripTests {
    @Test func samplesCoverEveryOpKindAndAttributeForm() {
        let kinds = Set(ProtoSamples.everything.graphs.flatMap { $0.nodes.map(\.op.kind) })
        #expect(kinds == Set(OpKind.allCases))
        var forms = Set<String>()
        for op in ProtoSamples.everyOp {
            for a in op.attributes {
                switch a.value {
                case .expr: forms.insert("expr")
                case .bool: forms.insert("bool")
                case .string: forms.insert("string")
                case .symbol: forms.insert("symbol")
                case .graph: forms.insert("graph")
                case .ints: forms.insert("ints")
                case .graphs: forms.insert("graphs")
                case .candidates: forms.insert("candidates")
                }
            }
        }
        #expect(forms.count == 8)
    }

    @Test func modelSpaceRoundTrips() throws {
        let space = ProtoSamples.everything
        let bytes = try ProtoIO.encode(space)
        #expect(try ProtoIO.decodeFile(bytes, file: "s.pb") == .space(space))
    }

    @Test(arguments: ProtoSamples.everyOp)
    func eachOpRoundTripsInANode(op: Op) throws {
        let space = ModelSpace(name: "one", root: "g", graphs: [
            Graph(name: "g", nodes: [Node(name: "n", op: op, inputs: [ValueRef("a", slot: 3)], location: SourceLocation(file: "f", line: 1, column: 2))]),
        ])
        #expect(try ProtoIO.decodeFile(try ProtoIO.encode(space), file: "one.pb") == .space(space))
    }

    @Test func architectureRoundTrips() throws {
        let arch = ProtoSamples.architecture
        #expect(try ProtoIO.decodeFile(try ProtoIO.encode(arch), file: "a.pb") == .architecture(arch))
        #expect(try ProtoIO.decodeFile(try ProtoIO.encode(Architecture()), file: "a.pb") == .architecture(Architecture()))
    }

    @Test func encodingIsDeterministic() throws {
        let space = ProtoSamples.everything
        #expect(try ProtoIO.encode(space) == ProtoIO.encode(space))
        // The same decisions inserted in a different order give the same bytes (entries are sorted by label).
        let arch = ProtoSamples.architecture
        var reversed = Architecture()
        for label in arch.labels.reversed() { reversed[label] = arch[label] }
        #expect(try ProtoIO.encode(arch) == ProtoIO.encode(reversed))
        let proto = try #require(try? Nasc_Ir_NascFile(serializedBytes: ProtoIO.encode(arch)))
        #expect(proto.architecture.decisions.map(\.label) == arch.labels)
    }

    @Test func fileHeaderCarriesVersionAndProducer() throws {
        let proto = try Nasc_Ir_NascFile(serializedBytes: ProtoIO.encode(ProtoSamples.everything))
        #expect(proto.formatVersion == 1)
        #expect(proto.producer == "nasc")
        #expect(proto.space.graphs.count == ProtoSamples.everything.graphs.count)
    }

    @Test func batchDimensionIsMinusOne() throws {
        let t = try TensorType.batched(1, 28, 28).toProto()
        #expect(t.dims == [-1, 1, 28, 28])
        #expect(t.dtype == .f32)
    }

    @Test func negativeFixedDimensionCannotBeEncoded() throws {
        let space = ModelSpace(name: "bad", root: "g", graphs: [
            Graph(name: "g", nodes: [Node(name: "r", op: .activation(.relu), inputs: [], types: [TensorType(.f32, [.fixed(-1)])],
                                          location: SourceLocation(file: "m.nas", line: 4, column: 2))]),
        ])
        let error = try #require(throws: DiagnosticError.self) { try ProtoIO.encode(space) }
        #expect(error.description == "m.nas:4:2: error: cannot encode model space 'bad': graph @g, node %r: type f32[-1] has a negative dimension -1")
    }
}
