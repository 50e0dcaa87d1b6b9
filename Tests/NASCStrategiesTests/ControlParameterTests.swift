// ControlParameterTests: supernet control tensors (alphas, Gumbel tensors, gates) are found by their typed role,
// which survives the plan's protobuf form, never by their names.
import Testing
import NASCIR
import NASCPasses
import NASCRuntime
@testable import NASCStrategies

@Suite struct ControlParameterTests: TinyThreeWaySupernet {
    /// The plan with every control slot renamed to a name that says nothing, through protobuf and back.
    func anonymized(_ mode: SupernetMode) throws -> Plan {
        var plan = try SupernetCompiler.compile(try space(), mode: mode, gumbelHard: mode == .gumbel)
        for i in plan.slots.indices where plan.slots[i].control != nil { plan.slots[i].name = "t\(i)" }
        guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "p.pb") else {
            Issue.record("not a plan"); return plan
        }
        #expect(back.slots.map(\.control) == plan.slots.map(\.control))
        return back
    }

    @Test func everyModeTypesItsControlTensors() throws {
        let expected: [SupernetMode: Set<ControlParameterKind>] = [
            .darts: [.architecture], .gumbel: [.architecture, .gumbelNoise, .gumbelInverseTemperature, .gumbelHardOffset],
            .proxyless: [.gate],
        ]
        for (mode, kinds) in expected {
            let plan = try SupernetCompiler.compile(try space(), mode: mode, gumbelHard: mode == .gumbel)
            let controls = plan.slots.compactMap(\.control)
            #expect(Set(controls.map(\.kind)) == kinds, "\(mode)")
            #expect(Set(controls.map(\.label)) == ["op", "in"], "\(mode)")
        }
        let aux = try SupernetCompiler.compile(try space(), mode: .darts, auxSkip: true)
        #expect(aux.slots.contains { $0.control == ControlParameter(.auxiliarySkip) && $0.role == .state })
    }

    @Test func dartsFindsItsAlphasByRole() throws {
        let e = try Executor(plan: try anonymized(.darts), seed: 1)
        #expect(e.architectureParameterNames.count == 2)
        #expect(e.architectureParameterNames.allSatisfy { $0.hasPrefix("t") && e.isControlParameter($0) })
        #expect(e.weightParameterNames.allSatisfy { !e.isControlParameter($0) } && !e.weightParameterNames.isEmpty)
    }

    @Test func gumbelWritesItsNoiseByRole() throws {
        let e = try Executor(plan: try anonymized(.gumbel), seed: 1)
        #expect(try e.drawGumbelNoise(temperature: 0.5, draw: 1) == 2)
        let invTau = try #require(e.controlParameterName(.gumbelInverseTemperature, label: "op"))
        #expect(e.parameter(invTau) == [2, 2, 2])
        let hard = try #require(e.controlParameterName(.gumbelHardOffset, label: "op").flatMap(e.parameter))
        #expect(hard.contains { $0 != 0 })
    }

    /// Gates found by role drive the guard table: the gated-off candidates' weights get no gradient.
    @Test func proxylessGatesByRole() throws {
        let e = try Executor(plan: try anonymized(.proxyless), seed: 1)
        #expect(e.controlSlots(.gate).map { $0.control!.label }.sorted() == ["in", "op"])
        #expect(e.plan.selectors.filter(\.gated).count == 2)
        try e.setParameter(try #require(e.controlParameterName(.gate, label: "op")), [0, 1, 0])
        try e.setParameter(try #require(e.controlParameterName(.gate, label: "in")), [1, 0])
        _ = try e.computeGradients(data: x, labels: labels, batch: 4)
        for name in e.parameterNames where name.hasPrefix("c.0.") {
            #expect(e.gradient(of: name)?.allSatisfy { $0 == 0 } == true, "\(name)")
        }
        #expect(e.parameterNames.filter { $0.hasPrefix("c.1.") }.contains { e.gradient(of: $0)?.contains { $0 != 0 } == true })
    }
}
