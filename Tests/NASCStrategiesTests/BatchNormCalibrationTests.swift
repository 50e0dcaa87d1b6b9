// BatchNormCalibrationTests: recalibrated running statistics are the exact batch statistics (one batch) and their average
// (several batches); statistics of unselected candidates are left alone; the one-shot learning-rate schedule.
import Testing
import NASCIR
import NASCData
import NASCPasses
import NASCRuntime
@testable import NASCStrategies

@Suite struct BatchNormCalibrationTests {
    /// A batch norm right on the input (so its batch statistics are the data's), then a choice of two candidates with
    /// their own batch norms.
    static let spaceText = """
    space "bn" version 1 root @main

    graph @main(%x: f32[N,1,6,6]) {
      %b = batch_norm(%x)
      %c = layer_choice(%b) {label = "op", candidates = [a = @a, b = @b]}
      %f = flatten(%c)
      %o = linear(%f) {out = 2}
      return %o
    }

    graph @a(%x: f32[N,1,6,6]) {
      %y = conv2d(%x) {out = 1, kernel = 3, padding = 1}
      %n = batch_norm(%y)
      return %n
    }

    graph @b(%x: f32[N,1,6,6]) {
      %y = conv2d(%x) {out = 1, kernel = 1}
      %n = batch_norm(%y)
      return %n
    }
    """

    static func executor() throws -> Executor {
        let space = try TextIR.parse(Self.spaceText, file: "bn.nir")
        return try Executor(plan: try SupernetCompiler.compile(space, mode: .sampled), seed: 3)
    }

    /// (mean, unbiased variance) of all the data's pixels.
    static func moments(_ d: Dataset) -> (Double, Double) {
        let v = d.features.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        return (mean, variance)
    }

    func runningName(_ e: Executor, containing part: String, suffix: String) throws -> String {
        try #require(e.plan.slots.first { $0.role == .state && $0.name.contains(part) && $0.name.hasSuffix(suffix) }?.name)
    }

    @Test func oneBatchGivesTheExactBatchStatistics() throws {
        let e = try Self.executor()
        let data = try OneShotFixtures.data(seed: 5)
        e.selection = [0]
        let mean = try #require(e.plan.slots.first { $0.role == .state && $0.name.hasSuffix("running_mean")
            && !$0.name.contains("c.") }?.name)
        let variance = mean.replacingOccurrences(of: "running_mean", with: "running_var")
        // Whatever the running statistics were before, one batch of all 64 samples replaces them.
        try e.setParameter(mean, [7]); try e.setParameter(variance, [9])
        let used = try BatchNormCalibration.recalibrate(e, data: data, batches: 1, batchSize: 64, seed: 1)
        #expect(used == 1)
        let (m, v) = Self.moments(data)
        let gotMean = try #require(e.parameter(mean)?.first), gotVar = try #require(e.parameter(variance)?.first)
        #expect(abs(Double(gotMean) - m) < 1e-5)
        #expect(abs(Double(gotVar) - v) < 1e-4)
    }

    @Test func severalBatchesAverageAndUnselectedCandidatesKeepTheirStatistics() throws {
        let e = try Self.executor()
        let data = try OneShotFixtures.data(seed: 6)
        e.selection = [0]
        let states = e.plan.slots.filter { $0.role == .state && $0.name.hasSuffix("running_mean") }.map(\.name)
        #expect(states.count == 3)
        let inputMean = try #require(states.first { !$0.contains("c.") })
        let other = try #require(states.first { $0.contains("c.1") || $0.contains("c.b") })
        try e.setParameter(other, [0.25])
        // Four batches of 16 cover the 64 samples once, so the mean of the batch means is the data mean.
        let used = try BatchNormCalibration.recalibrate(e, data: data, batches: 4, batchSize: 16, seed: 2)
        #expect(used == 4)
        let (m, v) = Self.moments(data)
        #expect(abs(Double(try #require(e.parameter(inputMean)?.first)) - m) < 1e-5)
        let variance = try #require(e.parameter(inputMean.replacingOccurrences(of: "running_mean", with: "running_var"))?.first)
        #expect(abs(Double(variance) - v) < 0.2 * v, "average of batch variances \(variance), data variance \(v)")
        #expect(e.parameter(other) == [0.25], "candidate b did not run, so its statistics stay")
        // More batches than an epoch are capped at one epoch.
        #expect(try BatchNormCalibration.recalibrate(e, data: data, batches: 100, batchSize: 16, seed: 2) == 4)
    }

    @Test func cosineScheduleStartsAtTheBaseAndEndsNearTheMinimum() throws {
        #expect(try OneShotSchedule.learningRate(epoch: 0, epochs: 10, base: 0.05, cosine: true, minimum: 0.001) == 0.05)
        let last = try OneShotSchedule.learningRate(epoch: 9, epochs: 10, base: 0.05, cosine: true, minimum: 0.001)
        #expect(last > 0.001 && last < 0.003)
        let mid = try OneShotSchedule.learningRate(epoch: 5, epochs: 10, base: 0.05, cosine: true, minimum: 0.001)
        #expect(abs(mid - 0.0255) < 1e-12)
        #expect(try OneShotSchedule.learningRate(epoch: 7, epochs: 10, base: 0.05, cosine: false, minimum: 0.001) == 0.05)
    }
}
