// PlanFileEncodingTests: ProtoIO writes a plan file field by field (ProtoIO.encodePlanFile); its bytes must be exactly
// SwiftProtobuf's serialization of the whole NascFile, for supernet plans of every mode, training and inference.
import Foundation
import Testing
@testable import NASCIR
import NASCPasses
import NASCRuntime

@Suite struct PlanFileEncodingTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/bench/bench_b_supernet.nir").path

    @Test(arguments: [SupernetMode.darts, .gumbel, .sampled, .proxyless])
    func fieldByFieldBytesEqualWholeMessageBytes(mode: SupernetMode) throws {
        let space = try TextIR.parse(try String(contentsOfFile: Self.path, encoding: .utf8), file: Self.path)
        for training in [true, false] {
            let plan = try SupernetCompiler.compile(space, mode: mode, training: training, options: PlanOptions.adam(), memoryPlan: MemoryPlan())
            let fast = try ProtoIO.encode(plan)
            let whole = try ProtoIO.serialize(.plan(plan.toProto()))
            #expect(fast == whole, "\(mode) training=\(training): \(fast.count) vs \(whole.count) bytes")
            guard case .plan(let back) = try ProtoIO.decodeFile(fast, file: "p.pb") else {
                Issue.record("not a plan"); continue
            }
            #expect(back.steps.count == plan.steps.count && back.slots.count == plan.slots.count && back.selectors == plan.selectors)
        }
    }

    @Test func emptyNameAndNoStepsStillMatch() throws {
        var p = Nasc_Ir_Plan()
        p.version = 1
        p.forwardEnd = 0
        p.logits = 0
        #expect(try ProtoIO.encodePlanFile(p) == (try ProtoIO.serialize(.plan(p))))
        p.name = "x"
        var slot = Nasc_Ir_PlanSlot(); slot.name = "s"; slot.fixed = 300
        p.slots = [slot, slot]
        p.loss = -1
        #expect(try ProtoIO.encodePlanFile(p) == (try ProtoIO.serialize(.plan(p))))
    }
}
