// CheckpointTests: protobuf round trips of plans and checkpoints, and resumed training equal to uninterrupted training.
import Testing
@testable import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct CheckpointTests {
    func trainingPlan(optimizer: String = "sgd") throws -> Plan {
        var options: PlanOptions = optimizer == "adam" ? .adam(lr: 0.05) : .sgd(lr: 0.05, momentum: 0.9)
        options.autodiff.labelSmoothing = 0.1
        return try PlanCompiler.compile(TrainingTests().convNet(), training: true, options: options)
    }

    func batch(_ s: Int) -> ([Float], [Int64]) {
        (randomFloats(4 * 50, seed: UInt64(200 + s)), (0..<4).map { Int64(($0 + s) % 4) })
    }

    @Test(arguments: ["sgd", "adam"])
    func resumedRunEqualsUninterrupted(optimizer: String) throws {
        let plan = try trainingPlan(optimizer: optimizer)
        let straight = try Executor(plan: plan, seed: 21)
        var straightLosses: [Float] = []
        for s in 0..<6 { let (x, y) = batch(s); straightLosses.append(try straight.trainStep(data: x, labels: y, batch: 4)) }

        let first = try Executor(plan: plan, seed: 21)
        var losses: [Float] = []
        for s in 0..<3 { let (x, y) = batch(s); losses.append(try first.trainStep(data: x, labels: y, batch: 4)) }
        let bytes = try ProtoIO.encode(first.checkpoint())
        guard case .checkpoint(let restored) = try ProtoIO.decodeFile(bytes, file: "ckpt.pb") else {
            Issue.record("decoded payload is not a checkpoint"); return
        }
        // A fresh executor with another seed picks up everything from the checkpoint.
        let second = try Executor(plan: plan, seed: 999)
        try second.restore(restored)
        for s in 3..<6 { let (x, y) = batch(s); losses.append(try second.trainStep(data: x, labels: y, batch: 4)) }

        #expect(losses == straightLosses)
        #expect(second.checkpoint().tensors == straight.checkpoint().tensors)
        #expect(second.stepsTaken == 6 && second.updatesTaken == 6)
    }

    @Test func checkpointRoundTripsBitExactly() throws {
        let exec = try Executor(plan: try trainingPlan(), seed: 3)
        let (x, y) = batch(0)
        try exec.trainStep(data: x, labels: y, batch: 4)
        let c = exec.checkpoint(epoch: 2, batchInEpoch: 5)
        #expect(c.tensors.map(\.role).contains(.optimizerState) && c.tensors.map(\.role).contains(.state))
        guard case .checkpoint(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(c), file: "c.pb") else {
            Issue.record("not a checkpoint"); return
        }
        #expect(back == c)
    }

    @Test func mismatchedCheckpointsAreRejected() throws {
        let exec = try Executor(plan: try trainingPlan(), seed: 3)
        var c = exec.checkpoint()
        c.tensors.removeLast()
        #expect(throws: DiagnosticError.self) { try exec.restore(c) }
        var wrongName = exec.checkpoint()
        wrongName.planName = "other"
        #expect(throws: DiagnosticError.self) { try exec.restore(wrongName) }
        var wrongSize = exec.checkpoint()
        wrongSize.tensors[0].values.append(1)
        #expect(throws: DiagnosticError.self) { try exec.restore(wrongSize) }
        // Nothing changed after the failed restores.
        let fresh = try Executor(plan: exec.plan, seed: 3)
        #expect(exec.checkpoint() == fresh.checkpoint())
    }

    @Test func plansRoundTripThroughProtobuf() throws {
        for plan in [try trainingPlan(), try trainingPlan(optimizer: "adam"),
                     try PlanCompiler.compile(TrainingTests().mixedNet(), training: true),
                     try PlanCompiler.compile(mnistNet(dropout: 0.25), training: false)] {
            let bytes = try ProtoIO.encode(plan)
            guard case .plan(let back) = try ProtoIO.decodeFile(bytes, file: "p.pb") else { Issue.record("not a plan"); continue }
            #expect(back == plan)
            #expect(try ProtoIO.encode(back) == bytes)
        }
    }

    @Test func corruptPlanFilesAreDiagnosed() throws {
        var plan = try trainingPlan()
        plan.steps[0] = PlanStep(.copy(CopyStep(source: 0, destination: 12345)))
        // nasc never writes such a plan (encode validates first); the bytes are made without validation.
        #expect(throws: DiagnosticError.self) { try ProtoIO.encode(plan) }
        let bytes = try ProtoIO.encodePlanFile(plan.toProto())
        let e = #expect(throws: DiagnosticError.self) { try ProtoIO.decodeFile(bytes, file: "bad.pb") }
        #expect(e?.description.hasPrefix("bad.pb: error: ") == true)
        #expect(e?.description.contains("does not exist") == true)
    }
}
