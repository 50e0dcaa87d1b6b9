// Tests for the op table: every op kind has every entry, and the entries agree with the IR and with each other.
import Testing
@testable import NASCIR
@testable import NASCPasses

@Suite struct OpTableTests {
    @Test func everyKindHasOneDefinitionWithASampleOfItsKind() {
        for kind in OpKind.allCases {
            let d = OpTable[kind]
            #expect(d.kind == kind, "\(kind) is looked up as \(d.kind)")
            #expect(d.sample.kind == kind, "the sample of \(kind) is a \(d.sample.kind)")
        }
        #expect(OpTable.all.count == OpKind.allCases.count)
    }

    /// The spelling entry: each sample prints to attributes that read back to it, in text and in protobuf.
    @Test func everySampleRoundTripsThroughTextAndProtobuf() throws {
        for d in OpTable.all {
            let text = try Op(kind: OpKind(rawValue: d.kind.rawValue)!, attributes: d.sample.attributes)
            #expect(text == d.sample, "\(d.kind) does not round-trip through its text attributes")
            let node = Node(name: "n", op: d.sample, inputs: [ValueRef("x")])
            #expect(try Node(proto: node.toProto()).op == d.sample, "\(d.kind) does not round-trip through protobuf")
        }
    }

    /// The language form covers every attribute the IR prints for the sample, and aliases are unique.
    @Test func languageFormsSpellEveryAttributeOnce() {
        var names: [String: OpKind] = [:]
        for d in OpTable.all {
            guard let l = d.language else { continue }
            for a in d.sample.attributes {
                #expect(l.attribute(a.name) != nil, "\(d.kind) prints '\(a.name)' but the language cannot spell it")
            }
            for p in l.positional { #expect(l.attribute(p) != nil, "\(d.kind): positional '\(p)' is not an attribute") }
            for n in [d.kind.rawValue] + l.aliases {
                #expect(names[n] == nil, "'\(n)' names both \(names[n].map(String.init(describing:)) ?? "") and \(d.kind)")
                names[n] = d.kind
            }
            #expect(!l.summary.isEmpty)
        }
        #expect(names.count > 20)
    }

    /// Shape, cost and gradient entries fit the op's role: language ops are typed, counted and differentiable;
    /// structural ops wait for the space; backward ops are typed by autodiff and not differentiated again.
    @Test func entriesFitEachRole() {
        for d in OpTable.all {
            let k = d.kind
            if d.language != nil {
                guard case .rule = d.shape else { Issue.record("\(k) is in the language without a shape rule"); continue }
                guard case .rule = d.cost else { Issue.record("\(k) is in the language without a cost rule"); continue }
                if case .notDifferentiable = d.gradient, k != .separableConv2d { Issue.record("\(k) has no gradient rule") }
            }
            switch d.shape {
            case .fromSpace:
                #expect(d.sample.isChoice || k == .call, "\(k) waits for the space but is not structural")
                if case .needsSpecialization = d.cost {} else { Issue.record("structural \(k) must need specialization to be counted") }
            case .fromAutodiff:
                #expect(k.isBackward, "\(k) is typed by autodiff but is not a backward op")
            case .rule:
                #expect(!k.isBackward || k == .paramGrad, "backward op \(k) has a shape rule")
            }
            if k.isBackward {
                if case .notDifferentiable = d.gradient {} else { Issue.record("backward op \(k) must not be differentiated") }
                if case .notModelCost = d.cost {} else { Issue.record("backward op \(k) must not count as model cost") }
            }
        }
    }

    /// The front end's checker and shape inference run the same rule: a value choice resolved by the front end gives
    /// the type shape inference gives the constant op, and the same error.
    @Test func frontEndResolutionUsesTheSameRule() throws {
        let img = TensorType.batched(8, 16, 16)
        let chosen = Op.conv2d(Conv2DAttrs(outChannels: .choice("w"), kernel: .choice("k"), padding: .same))
        let fixed = Op.conv2d(Conv2DAttrs(outChannels: .int(24), kernel: .int(3), padding: .same))
        let viaFrontEnd = try OpTable.outputType(of: chosen, inputs: [img]) { e in try e.evaluate { $0 == "w" ? .int(24) : .int(3) } }
        #expect(viaFrontEnd == (try OpShapeRules.outputType(fixed, [img])))
        #expect(viaFrontEnd == TensorType.batched(24, 16, 16))
        let tooBig = Op.conv2d(Conv2DAttrs(outChannels: .int(4), kernel: .int(32)))
        #expect(throws: ShapeError("conv2d with kernel 32 does not fit its 16x16 input (padding 0, dilation 1)",
                                   hint: "use padding: same, a smaller kernel, or a larger input")) {
            _ = try OpTable.outputType(of: tooBig, inputs: [img]) { _ in .int(0) }
        }
    }
}
