// TrainingScheduleTests: the schedule's horizon per epoch or per iteration, and `nasc run` taking every `nasc train` setting.
import Foundation
import NASCRuntime
import NASCTool
import Testing

@Suite struct TrainingScheduleTests {
    @Test func perIterationHorizonIsEpochsTimesBatches() throws {
        var o = TrainOptions()
        o.epochs = 3; o.batchSize = 4; o.learningRate = 0.05
        #expect(try ArchitectureTraining.schedule(o, trainingSamples: 10).decay == .cosine(tMax: 3, etaMin: 0))
        o.scheduleStep = "iteration"
        #expect(try ArchitectureTraining.schedule(o, trainingSamples: 10).decay == .cosine(tMax: 9, etaMin: 0))   // 3 x ceil(10/4)
        o.schedule = "step"; o.epochs = 6
        #expect(try ArchitectureTraining.schedule(o, trainingSamples: 8).decay == .step(stepSize: 4, gamma: 0.1))  // 2 epochs x 2 batches
    }

    /// Every training flag of `nasc train` is a flag of `nasc run` (under its trial name), so a search can train with
    /// the recipe its retrain uses. A flag added to one and not the other fails here.
    @Test func runTakesEveryTrainingFlagOfTrain() throws {
        func flags(_ verb: String) throws -> Set<String> {
            let r = try NascProcess.run([verb, "--help"])
            let regex = try NSRegularExpression(pattern: "--[a-z][a-z0-9-]*")
            let text = r.stdout as NSString
            return Set(regex.matches(in: r.stdout, range: NSRange(location: 0, length: text.length)).map { text.substring(with: $0.range) })
        }
        let train = try flags("train"), run = try flags("run")
        // Flags of `nasc train` about its own input and output, not training settings.
        let trainOnly: Set = ["--arch", "--save", "--json", "--resume", "--help", "--progress", "--no-progress", "--version", "--load",
                              "--time-passes", "--output"]
        let renamed = ["--epochs": "--train-epochs", "--seed": "--train-seed"]
        let missing = train.subtracting(trainOnly).filter { !run.contains(renamed[$0] ?? $0) }
        #expect(missing.isEmpty, "nasc run lacks \(missing.sorted()); train has \(train.sorted())")
        #expect(train.contains("--momentum") && run.contains("--schedule-step"))
    }
}
