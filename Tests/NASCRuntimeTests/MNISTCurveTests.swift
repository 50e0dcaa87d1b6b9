// MNISTCurveTests: the user guide's MNIST network trained for 20 SGD steps matches PyTorch's loss curve within 1e-3.
import Foundation
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime
import NASCData

/// The fixture written by scripts/torch_mnist_curve.py.
struct MNISTCurveFixture: Decodable {
    struct Checksum: Decodable { var count: Int; var sum: Double; var abs_sum: Double; var first: [Double] }
    struct Param: Decodable { var name: String; var seed: UInt64; var fan_in: Int; var shape: [Int]; var checksum: Checksum }
    struct Batch: Decodable { var pixels: Checksum; var labels: [Int64] }
    var steps: Int
    var batch: Int
    var lr: Double
    var distinct_batches: Int
    var params: [Param]
    var batches: [Batch]
    var losses: [Double]

    static func load() throws -> MNISTCurveFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mnist_sgd_curve.json")
        return try JSONDecoder().decode(MNISTCurveFixture.self, from: Data(contentsOf: url))
    }
}

/// The user guide's MNIST network (PyTorch's MNIST example), typed as shape inference leaves it.
func mnistNet(dropout: Double) -> ModelSpace {
    var b = GraphBuilder(input: .f(1, 28, 28))
    b.add("conv1", .conv2d(convAttrs(32, 3)), ["x"], .f(32, 26, 26))
    b.add("relu1", .activation(.relu), ["conv1"], .f(32, 26, 26))
    b.add("conv2", .conv2d(convAttrs(64, 3)), ["relu1"], .f(64, 24, 24))
    b.add("relu2", .activation(.relu), ["conv2"], .f(64, 24, 24))
    b.add("pool", .maxPool2d(Pool2DAttrs(kernel: .int(2))), ["relu2"], .f(64, 12, 12))
    b.add("dropout1", .dropout(p: .float(dropout)), ["pool"], .f(64, 12, 12))
    b.add("flat", .flatten, ["dropout1"], .f(9216))
    b.add("fc1", .linear(LinearAttrs(outFeatures: .int(128))), ["flat"], .f(128))
    b.add("relu3", .activation(.relu), ["fc1"], .f(128))
    b.add("dropout2", .dropout(p: .float(dropout)), ["relu3"], .f(128))
    b.add("fc2", .linear(LinearAttrs(outFeatures: .int(10))), ["dropout2"], .f(10))
    b.add("output", .logSoftmax(axis: 1), ["fc2"], .f(10))
    return b.space(outputs: ["output"])
}

/// `count` values of the SplitMix64 stream as the fixture script generates them.
func fixtureUniform(seed: UInt64, count: Int, bound: Float) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.uniform(bound: bound) }
}

func expectChecksum(_ v: [Float], _ c: MNISTCurveFixture.Checksum, _ what: String) {
    var sum = 0.0, absSum = 0.0
    for x in v { sum += Double(x); absSum += abs(Double(x)) }
    let first: [Double] = v.prefix(3).map { Double($0) }
    #expect(v.count == c.count, "\(what) count")
    #expect(abs(sum - c.sum) <= 1e-9 * max(1, c.abs_sum), "\(what) sum \(sum) vs \(c.sum)")
    #expect(abs(absSum - c.abs_sum) <= 1e-9 * max(1, c.abs_sum), "\(what) abs sum")
    #expect(first == c.first, "\(what) first values")
}

@Suite struct MNISTCurveTests {
    @Test func sgdLossCurveMatchesPyTorch() throws {
        let fx = try MNISTCurveFixture.load()
        let plan = try PlanCompiler.compile(mnistNet(dropout: 0), training: true, options: PlanOptions.sgd(lr: fx.lr))
        let usesNLL = plan.steps.contains { step in
            if case .lossForward(let l) = step.kernel { return l.kind == .nll }
            return false
        }
        #expect(usesNLL)
        let exec = try Executor(plan: plan, seed: 0)
        #expect(exec.parameterNames == fx.params.map(\.name))
        for p in fx.params {
            let values = fixtureUniform(seed: p.seed, count: p.shape.reduce(1, *), bound: 1 / Float(p.fan_in).squareRoot())
            expectChecksum(values, p.checksum, p.name)
            try exec.setParameter(p.name, values)
        }
        var losses: [Double] = []
        for s in 0..<fx.steps {
            let b = s % fx.distinct_batches
            let x = fixtureUniform(seed: 5000 + UInt64(b), count: fx.batch * 784, bound: 1)
            var lg = SeededGenerator(seed: 9000 + UInt64(b))
            let labels = (0..<fx.batch).map { _ in Int64(lg.next() % 10) }
            expectChecksum(x, fx.batches[s].pixels, "batch \(s)")
            #expect(labels == fx.batches[s].labels)
            losses.append(Double(try exec.trainStep(data: x, labels: labels, batch: fx.batch)))
        }
        var worst = 0.0
        for (a, b) in zip(losses, fx.losses) { worst = max(worst, abs(a - b)) }
        #expect(worst < 1e-3, "max |nasc - torch| = \(worst)\nnasc  \(losses)\ntorch \(fx.losses)")
        // The curve really trains: the last pass over the 5 batches is lower than the first.
        let firstPass: Double = losses.prefix(5).reduce(0, +), lastPass: Double = losses.suffix(5).reduce(0, +)
        #expect(lastPass < firstPass - 0.1)
    }
}
