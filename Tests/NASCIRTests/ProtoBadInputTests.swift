// Bad protobuf input: every case is a one-line DiagnosticError located at the file, never a trap.
import Testing
@testable import NASCIR

@Suite struct ProtoBadInputTests {
    /// Decodes and returns the single diagnostic's one-line description.
    func failure(_ bytes: [UInt8], file: String = "bad.pb") throws -> String {
        let error = try #require(throws: DiagnosticError.self) { try ProtoIO.decodeFile(bytes, file: file) }
        #expect(error.diagnostics.count == 1)
        #expect(error.diagnostics.first?.location == SourceLocation(file: file))
        #expect(!error.description.contains("\n"))
        return error.description
    }

    /// A NascFile holding a one-node root graph.
    func file(version: UInt32 = 1, node: Nasc_Ir_Node) throws -> [UInt8] {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = version
        f.space = .with { s in
            s.name = "s"; s.root = "main"
            s.graphs = [.with { g in g.name = "main"; g.nodes = [node] }]
        }
        return try f.serializedBytes()
    }

    func node(_ op: String, _ attrs: [(String, Nasc_Ir_Attribute)] = []) -> Nasc_Ir_Node {
        .with { n in
            n.name = "c1"; n.op = op
            n.attributes = attrs.map { a in .with { $0.name = a.0; $0.value = a.1 } }
        }
    }

    func int(_ v: Int64) -> Nasc_Ir_Attribute { .with { $0.expr = .with { $0.intValue = v } } }

    @Test func garbage() throws {
        #expect(try failure([0xFF, 0xFF, 0xFF, 0xFF]) == "bad.pb: error: not a valid nasc protobuf file: malformed protobuf data")
    }

    @Test func truncated() throws {
        let bytes = try ProtoIO.encode(ProtoSamples.everything)
        #expect(try failure(Array(bytes.dropLast(1))) == "bad.pb: error: not a valid nasc protobuf file: the data is truncated")
    }

    @Test func emptyFile() throws {
        #expect(try failure([], file: "e.pb") == "e.pb: error: not a valid nasc protobuf file: the file is empty")
    }

    @Test func invalidUTF8() throws {
        // field 2 (producer), length 2, bytes C3 28 (an invalid UTF-8 sequence).
        #expect(try failure([0x08, 0x01, 0x12, 0x02, 0xC3, 0x28]) == "bad.pb: error: not a valid nasc protobuf file: a string is not valid UTF-8")
    }

    @Test func wrongFormatVersion() throws {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = 7
        f.architecture = Nasc_Ir_Architecture()
        #expect(try failure(f.serializedBytes(), file: "dir/v7.pb")
                == "dir/v7.pb: error: unsupported format version 7 (this nasc reads version 1)")
    }

    @Test func missingFormatVersion() throws {
        var f = Nasc_Ir_NascFile()
        f.architecture = Nasc_Ir_Architecture()
        #expect(try failure(f.serializedBytes()) == "bad.pb: error: missing format version (this nasc reads version 1)")
    }

    @Test func emptyPayload() throws {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = 1
        f.producer = "someone"
        #expect(try failure(f.serializedBytes())
                == "bad.pb: error: file has no payload (expected a model space, an architecture, a plan or a checkpoint)")
    }

    @Test func unknownOpKind() throws {
        #expect(try failure(file(node: node("conv3d"))) == "bad.pb: error: graph @main, node %c1: unknown op kind 'conv3d'")
        #expect(try failure(file(node: node(""))) == "bad.pb: error: graph @main, node %c1: node has no op kind")
    }

    @Test func badAttributesNameTheNode() throws {
        #expect(try failure(file(node: node("conv2d", [("out", int(3)), ("kernel", int(3)), ("kernal", int(3))])))
                == "bad.pb: error: graph @main, node %c1: unknown attribute 'kernal' for conv2d")
        #expect(try failure(file(node: node("linear")))
                == "bad.pb: error: graph @main, node %c1: linear requires attribute 'out'")
        #expect(try failure(file(node: node("linear", [("out", int(3)), ("bias", int(1))])))
                == "bad.pb: error: graph @main, node %c1: attribute 'bias' of linear must be true or false")
        #expect(try failure(file(node: node("linear", [("out", int(3)), ("out", int(4))])))
                == "bad.pb: error: graph @main, node %c1: duplicate attribute 'out' on linear")
        #expect(try failure(file(node: node("input_choice", [("label", .with { $0.stringValue = "x" }), ("reduction", .with { $0.symbol = "prod" })])))
                == "bad.pb: error: graph @main, node %c1: attribute 'reduction' of input_choice must be one of sum, mean, concat, none")
        #expect(try failure(file(node: node("linear", [("out", Nasc_Ir_Attribute())])))
                == "bad.pb: error: graph @main, node %c1, attribute 'out': attribute has no value")
    }

    @Test func badExpressions() throws {
        let noOperator = Nasc_Ir_Attribute.with { $0.expr = .with { $0.binary = .with { b in b.lhs.intValue = 1; b.rhs.intValue = 2 } } }
        #expect(try failure(file(node: node("linear", [("out", noOperator)])))
                == "bad.pb: error: graph @main, node %c1, attribute 'out': binary expression has no operator")
        let unknownOperator = Nasc_Ir_Attribute.with {
            $0.expr = .with { $0.binary = .with { b in b.op = .UNRECOGNIZED(99); b.lhs.intValue = 1; b.rhs.intValue = 2 } }
        }
        #expect(try failure(file(node: node("linear", [("out", unknownOperator)])))
                == "bad.pb: error: graph @main, node %c1, attribute 'out': unknown binary operator value 99")
        let missingOperand = Nasc_Ir_Attribute.with { $0.expr = .with { $0.neg = Nasc_Ir_ValueExpr() } }
        #expect(try failure(file(node: node("linear", [("out", missingOperand)])))
                == "bad.pb: error: graph @main, node %c1, attribute 'out': value expression has no value")
    }

    @Test func overflowingConstantExpressionsDoNotTrap() throws {
        // Int.min / -1, Int.min // -1, Int.min % -1 and -Int.min overflow; they must wrap, not trap.
        let minusOne = ValueExpr.int(-1), intMin = ValueExpr.int(Int.min)
        for e in [ValueExpr.binary(.div, intMin, minusOne), .binary(.floorDiv, intMin, minusOne),
                  .binary(.mod, intMin, minusOne), .neg(intMin)] {
            let attr = Nasc_Ir_Attribute.with { $0.expr = e.proto }
            // `axis` must be a constant integer, so the bridge evaluates the expression while decoding.
            let decoded = try ProtoIO.decodeFile(file(node: node("concat", [("axis", attr)])), file: "o.pb")
            guard case .space(let s) = decoded, case .concat(let axis)? = s.graphs.first?.nodes.first?.op else {
                Issue.record("expected a concat node"); continue
            }
            #expect(axis == (e == .binary(.mod, intMin, minusOne) ? 0 : Int.min))
        }
    }

    @Test func badTensorTypes() throws {
        var n = node("relu")
        n.types = [.with { $0.dtype = .UNRECOGNIZED(9); $0.dims = [-1, 3] }]
        #expect(try failure(file(node: n)) == "bad.pb: error: graph @main, node %c1: unknown dtype value 9")
        n.types = [.with { $0.dims = [-1, 3] }]
        #expect(try failure(file(node: n)) == "bad.pb: error: graph @main, node %c1: tensor type has no dtype")
        n.types = [.with { $0.dtype = .f32; $0.dims = [-1, -2] }]
        #expect(try failure(file(node: n))
                == "bad.pb: error: graph @main, node %c1: invalid dimension -2 (only -1, the batch dimension, may be negative)")
    }

    @Test func graphInputWithoutType() throws {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = 1
        f.space = .with { s in s.graphs = [.with { g in g.name = "main"; g.inputs = [.with { $0.name = "x" }] }] }
        #expect(try failure(f.serializedBytes()) == "bad.pb: error: graph @main, input %x: graph input has no type")
    }

    @Test func badValueChoice() throws {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = 1
        f.space = .with { s in s.valueChoices = [.with { $0.label = "w"; $0.values = [.with { $0.intValue = 1 }, Nasc_Ir_Scalar()] }] }
        #expect(try failure(f.serializedBytes()) == "bad.pb: error: value choice 'w': scalar has no value")
    }

    @Test func badArchitectures() throws {
        var f = Nasc_Ir_NascFile()
        f.formatVersion = 1
        f.architecture = .with { a in
            a.decisions = [.with { $0.label = "x"; $0.value.candidate = "a" }, .with { $0.label = "x"; $0.value.candidate = "b" }]
        }
        #expect(try failure(f.serializedBytes()) == "bad.pb: error: duplicate decision label 'x'")
        f.architecture = .with { a in a.decisions = [.with { $0.label = "y" }] }
        #expect(try failure(f.serializedBytes()) == "bad.pb: error: decision 'y': decision has no value")
    }

    @Test func deeplyNestedExpressionIsRejectedNotCrashed() throws {
        var e: ValueExpr = .int(1)
        for _ in 0..<300 { e = .neg(e) }
        let space = ModelSpace(name: "deep", root: "g", graphs: [
            Graph(name: "g", nodes: [Node(name: "d", op: .dropout(p: e), inputs: [ValueRef("x")])]),
        ])
        #expect(try failure(ProtoIO.encode(space)) == "bad.pb: error: not a valid nasc protobuf file: messages are nested too deeply")
    }

    @Test func controlCharactersInNamesAreEscaped() throws {
        var n = node("conv\n3d")
        n.name = "a\nb\u{7}"
        #expect(try failure(file(node: n)) == "bad.pb: error: graph @main, node %a\\nb\\u{7}: unknown op kind 'conv\\n3d'")
    }

    @Test func unknownFieldsAreIgnored() throws {
        // Forward compatibility: a field this nasc does not know (99, varint 5) is skipped.
        let bytes = try ProtoIO.encode(ProtoSamples.architecture) + [0x98, 0x06, 0x05]
        #expect(try ProtoIO.decodeFile(bytes, file: "f.pb") == .architecture(ProtoSamples.architecture))
    }
}
