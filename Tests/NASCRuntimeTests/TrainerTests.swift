// TrainerTests: epochs over NASCData data sets — learning, progress events, validation, exact resume from checkpoints.
import Testing
import NASCIR
import NASCPasses
import NASCData
@testable import NASCRuntime

@Suite struct TrainerTests {
    /// x[N,2,4,4] -> conv -> batchnorm -> relu -> global pool -> dropout -> linear(3).
    func net() -> ModelSpace {
        var b = GraphBuilder(input: .f(2, 4, 4))
        b.add("conv", .conv2d(convAttrs(4, 3, pad: 1)), ["x"], .f(4, 4, 4))
        b.add("bn", .batchNorm(BatchNormAttrs()), ["conv"], .f(4, 4, 4))
        b.add("act", .activation(.relu), ["bn"], .f(4, 4, 4))
        b.add("gap", .globalAvgPool, ["act"], .f(4))
        b.add("drop", .dropout(p: .float(0.1)), ["gap"], .f(4))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(3))), ["drop"], .f(3))
        return b.space(outputs: ["fc"])
    }

    func data(_ count: Int, seed: UInt64) throws -> Dataset {
        try SyntheticData.blobs(count: count, sampleShape: [2, 4, 4], numClasses: 3, seed: seed, separation: 3)
    }

    @Test func learnsSeparableBlobsAndReportsProgress() throws {
        let plan = try PlanCompiler.compile(net(), training: true, options: PlanOptions.adam(lr: 0.02))
        let exec = try Executor(plan: plan, seed: 1)
        let train = try data(90, seed: 4)
        let trainer = try Trainer(executor: exec, training: train, validation: train,
                                  config: TrainerConfig(epochs: 6, batchSize: 16, seed: 2,
                                                        schedule: try LRSchedule(baseLearningRate: 0.02, decay: .cosine(tMax: 6, etaMin: 0.001))))
        var batches: [TrainingProgress] = [], epochs: [EpochSummary] = []
        let summaries = try trainer.run { e in
            switch e {
            case .batch(let p): batches.append(p)
            case .epoch(let s): epochs.append(s)
            }
        }
        #expect(summaries == epochs && epochs.count == 6)
        #expect(batches.count == 6 * 6)  // 90 samples in batches of 16: 5 full + 1 partial
        #expect(batches.last?.batch == 6 && batches.last?.batchesPerEpoch == 6 && batches.last?.samples == 90)
        #expect(batches.allSatisfy { $0.eta >= 0 && $0.samplesPerSecond >= 0 && $0.fraction <= 1 })
        #expect(batches[0].learningRate == 0.02 && batches.last!.learningRate < 0.02)
        let last = try #require(epochs.last)
        #expect(last.trainLoss < epochs[0].trainLoss)
        #expect((last.validationAccuracy ?? 0) > 0.9, "validation accuracy \(last.validationAccuracy ?? -1)")
        let again = try trainer.evaluate(train)
        #expect(again.accuracy == last.validationAccuracy && again.loss == last.validationLoss)
    }

    @Test func resumeMidEpochEqualsUninterruptedRun() throws {
        let plan = try PlanCompiler.compile(net(), training: true, options: PlanOptions.sgd(lr: 0.1, momentum: 0.9))
        let train = try data(40, seed: 7)
        let config = TrainerConfig(epochs: 3, batchSize: 8, seed: 5)

        let straight = try Trainer(executor: try Executor(plan: plan, seed: 9), training: train, config: config)
        let straightSummaries = try straight.run()

        let first = try Trainer(executor: try Executor(plan: plan, seed: 9), training: train, config: config)
        let partial = try first.run(maxBatches: 7)  // epoch 0 (5 batches) and 2 batches of epoch 1
        #expect(partial.count == 1 && first.epoch == 1 && first.batchInEpoch == 2)
        let bytes = try ProtoIO.encode(first.checkpoint())
        guard case .checkpoint(let saved) = try ProtoIO.decodeFile(bytes, file: "t.ckpt") else { Issue.record("no checkpoint"); return }

        let second = try Trainer(executor: try Executor(plan: plan, seed: 1234), training: train, config: config)
        try second.resume(from: saved)
        let rest = try second.run()
        #expect(rest.count == 2)
        #expect(second.executor.checkpoint().tensors == straight.executor.checkpoint().tensors)
        #expect(rest.last?.trainLoss == straightSummaries.last?.trainLoss)
    }

    @Test func mismatchedDataIsADiagnostic() throws {
        let plan = try PlanCompiler.compile(net(), training: true)
        let wrong = try SyntheticData.blobs(count: 10, sampleShape: [3, 4, 4], numClasses: 3, seed: 1)
        let e = #expect(throws: DiagnosticError.self) {
            try Trainer(executor: try Executor(plan: plan), training: wrong, config: TrainerConfig(epochs: 1, batchSize: 4))
        }
        #expect(e?.description.contains("the model input needs 32") == true)
        let inference = try PlanCompiler.compile(net(), training: false)
        #expect(throws: DiagnosticError.self) {
            try Trainer(executor: try Executor(plan: inference), training: try data(10, seed: 1), config: TrainerConfig(epochs: 1, batchSize: 4))
        }
    }
}
