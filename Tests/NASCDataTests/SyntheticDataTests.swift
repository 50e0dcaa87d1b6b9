// SyntheticDataTests: generators are deterministic per seed, balanced, and separable/fit as documented.
import NASCData
import NASCIR
import Testing

@Suite struct SyntheticDataTests {
    @Test func blobsAreSeededAndBalanced() throws {
        let a = try SyntheticData.blobs(count: 103, sampleShape: [1, 4, 4], numClasses: 5, seed: 7)
        let b = try SyntheticData.blobs(count: 103, sampleShape: [1, 4, 4], numClasses: 5, seed: 7)
        let c = try SyntheticData.blobs(count: 103, sampleShape: [1, 4, 4], numClasses: 5, seed: 8)
        #expect(a.features == b.features)
        #expect(a.labels == b.labels)
        #expect(a.features != c.features)
        #expect(a.classCounts() == [21, 21, 21, 20, 20])
        #expect(a.features.count == 103 * 16)
    }

    @Test func blobsAreSeparableByNearestClassMean() throws {
        let d = try SyntheticData.blobs(count: 400, sampleShape: [6], numClasses: 4, seed: 1, separation: 4, spread: 1)
        var means = [[Float]](repeating: [Float](repeating: 0, count: 6), count: 4)
        for s in 0..<d.count { for j in 0..<6 { means[Int(d.labels[s])][j] += d.features[s * 6 + j] / 100 } }
        var correct = 0
        for s in 0..<d.count {
            let dist = means.map { m in (0..<6).reduce(Float(0)) { $0 + pow2(d.features[s * 6 + $1] - m[$1]) } }
            if dist.firstIndex(of: dist.min()!) == Int(d.labels[s]) { correct += 1 }
        }
        #expect(correct >= 390)
    }

    @Test func regressionFollowsALinearModel() throws {
        let d = try SyntheticData.regression(count: 300, features: 3, seed: 2, noise: 0)
        #expect(d.targetWidth == 1)
        #expect(d.targets.count == 300)
        // With no noise the targets are exactly linear: y(x1 + x2 - x3) relation checked by solving on 4 samples.
        let e = try SyntheticData.regression(count: 300, features: 3, seed: 2, noise: 0)
        #expect(d.targets == e.targets)
        // Fit by least squares via normal equations on [x, 1] and check the residual is tiny.
        let w = leastSquares(d)
        var maxResidual: Float = 0
        for s in 0..<d.count {
            var p = w[3]
            for j in 0..<3 { p += w[j] * d.features[s * 3 + j] }
            maxResidual = max(maxResidual, abs(p - d.targets[s]))
        }
        #expect(maxResidual < 1e-3)
    }

    @Test func badArguments() throws {
        #expect(diagnostic { _ = try SyntheticData.blobs(count: 0, sampleShape: [2], numClasses: 2, seed: 0) }?
            .message == "sample count must be positive, got 0")
        #expect(diagnostic { _ = try SyntheticData.blobs(count: 4, sampleShape: [2, 0], numClasses: 2, seed: 0) }?
            .message == "invalid sample shape [2,0]")
        #expect(diagnostic { _ = try SyntheticData.blobs(count: 4, sampleShape: [2], numClasses: 0, seed: 0) }?
            .message == "number of classes must be in 1...1048576, got 0")
        #expect(diagnostic { _ = try SyntheticData.blobs(count: 1 << 40, sampleShape: [1 << 30, 1 << 30], numClasses: 2, seed: 0) }?
            .message == "1099511627776 samples of shape [1073741824,1073741824] exceed 2147483648 values")
        #expect(diagnostic { _ = try DataSpec.parse("synthetic?count=99999999999999999999").load() }?.message
            == "count must be a positive integer up to 2147483648, got \"99999999999999999999\"")
        #expect(diagnostic { _ = try DataSpec.parse("synthetic:regression?shape=4000000x4000000x4000000").load() } != nil)
    }
}

func pow2(_ x: Float) -> Float { x * x }

/// Least squares for y ~ w . [x, 1] with 3 features, by Gaussian elimination on the normal equations (double).
func leastSquares(_ d: Dataset) -> [Float] {
    var a = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 4)
    for s in 0..<d.count {
        let x = (0..<3).map { Double(d.features[s * 3 + $0]) } + [1]
        for i in 0..<4 {
            for j in 0..<4 { a[i][j] += x[i] * x[j] }
            a[i][4] += x[i] * Double(d.targets[s])
        }
    }
    for c in 0..<4 {
        for r in (c + 1)..<4 {
            let f = a[r][c] / a[c][c]
            for k in c..<5 { a[r][k] -= f * a[c][k] }
        }
    }
    var w = [Double](repeating: 0, count: 4)
    for i in (0..<4).reversed() {
        var s = a[i][4]
        for j in (i + 1)..<4 { s -= a[i][j] * w[j] }
        w[i] = s / a[i][i]
    }
    return w.map { Float($0) }
}
