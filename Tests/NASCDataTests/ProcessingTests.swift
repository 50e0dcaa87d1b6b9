// ProcessingTests: normalization, splits, batching and augmentation behave as documented and deterministically.
import NASCData
import NASCIR
import Testing

@Suite struct ProcessingTests {
    /// Two samples of shape [2, 1, 2]: channel 0 values 1,3,5,7, channel 1 values 10,10,10,10.
    func tiny() throws -> Dataset {
        try Dataset(features: [1, 3, 10, 10, 5, 7, 10, 10], sampleShape: [2, 1, 2], labels: [0, 1], numClasses: 2, source: "tiny")
    }

    @Test func normalizationFitsOnTrainAndAppliesElsewhere() throws {
        let train = try tiny()
        let norm = ChannelNormalization.fit(train)
        #expect(norm.mean == [4, 10])
        #expect(abs(norm.std[0] - Float(5.0).squareRoot()) < 1e-6)
        #expect(norm.std[1] == 1) // constant channel left unscaled
        var other = try Dataset(features: [4, 4 + Float(5).squareRoot(), 12, 8], sampleShape: [2, 1, 2], labels: [1], numClasses: 2, source: "o")
        try norm.apply(to: &other)
        #expect(abs(other.features[0]) < 1e-6)
        #expect(abs(other.features[1] - 1) < 1e-6)
        #expect(other.features[2] == 2)
        #expect(other.features[3] == -2)
        var t = train
        try norm.apply(to: &t)
        let refit = ChannelNormalization.fit(t)
        #expect(abs(refit.mean[0]) < 1e-6 && abs(refit.std[0] - 1) < 1e-6)
    }

    @Test func normalizationIsPerFeatureForTabularData() throws {
        let d = try Dataset(features: [0, 10, 2, 30], sampleShape: [2], labels: [0, 1], numClasses: 2, source: "t")
        let n = ChannelNormalization.fit(d)
        #expect(n.mean == [1, 20])
        #expect(n.std == [1, 10])
        var wrong = try Dataset(features: [1, 2, 3], sampleShape: [3], labels: [0], numClasses: 2, source: "w.csv")
        let e = try #require(diagnostic { try n.apply(to: &wrong) })
        #expect(e.description == "w.csv: error: normalization has 2 channels but samples of shape [3] have 3")
    }

    @Test func splitIsSeededDisjointAndComplete() throws {
        let d = try SyntheticData.blobs(count: 50, sampleShape: [3], numClasses: 2, seed: 3)
        let (tr, va) = try d.split(validation: .fraction(0.2), seed: 11)
        #expect(tr.count == 40 && va.count == 10)
        let (tr2, va2) = try d.split(validation: .count(10), seed: 11)
        #expect(tr2.features == tr.features && va2.labels == va.labels)
        let (_, va3) = try d.split(validation: .count(10), seed: 12)
        #expect(va3.features != va.features)
        // Every sample lands on exactly one side: compare multisets of first features.
        let all = (tr.features + va.features).enumerated().filter { $0.offset % 3 == 0 }.map(\.element).sorted()
        let orig = d.features.enumerated().filter { $0.offset % 3 == 0 }.map(\.element).sorted()
        #expect(all == orig)
        #expect(diagnostic { _ = try d.split(validation: .fraction(1.0), seed: 0) }?.message
            == "validation fraction must be between 0 and 1 (exclusive), got 1.0")
        #expect(diagnostic { _ = try d.split(validation: .count(50), seed: 0) } != nil)
    }

    @Test func batcherShufflesDeterministicallyPerEpoch() throws {
        let b = try Batcher(count: 10, batchSize: 4, seed: 5)
        #expect(b.batchesPerEpoch == 3)
        let e0 = b.batches(epoch: 0)
        #expect(e0.map(\.count) == [4, 4, 2])
        #expect(e0.flatMap { $0 }.sorted() == Array(0..<10))
        let again = try Batcher(count: 10, batchSize: 4, seed: 5)
        #expect(again.order(epoch: 0) == b.order(epoch: 0))
        #expect(b.order(epoch: 1) != b.order(epoch: 0))
        #expect(b.order(epoch: 7) == again.order(epoch: 7))
        let dropping = try Batcher(count: 10, batchSize: 4, dropLast: true, seed: 5)
        #expect(dropping.batches(epoch: 0).map(\.count) == [4, 4])
        let ordered = try Batcher(count: 5, batchSize: 2, shuffle: false)
        #expect(ordered.batches(epoch: 3).map { Array($0) } == [[0, 1], [2, 3], [4]])
        #expect(diagnostic { _ = try Batcher(count: 5, batchSize: 0) }?.message == "batch size must be positive, got 0")
        #expect(diagnostic { _ = try Batcher(count: 3, batchSize: 4, dropLast: true) }?.message
            == "a data set of 3 samples gives no batch of size 4")
    }

    @Test func gatherFillsCallerBuffers() throws {
        let d = try tiny()
        var f = [Float](repeating: -1, count: 8)
        var l = [Int32](repeating: -1, count: 2)
        f.withUnsafeMutableBufferPointer { fb in
            l.withUnsafeMutableBufferPointer { lb in d.gather([1, 0], features: fb, labels: lb) }
        }
        #expect(f == [5, 7, 10, 10, 1, 3, 10, 10])
        #expect(l == [1, 0])
        let r = try Dataset(features: [1, 2, 3], sampleShape: [1], targets: [10, 11, 20, 21, 30, 31], outputs: 2, source: "r")
        var rf = [Float](repeating: 0, count: 2)
        var rt = [Float](repeating: 0, count: 4)
        rf.withUnsafeMutableBufferPointer { fb in
            rt.withUnsafeMutableBufferPointer { tb in r.gather([2, 0], features: fb, targets: tb) }
        }
        #expect(rf == [3, 1])
        #expect(rt == [30, 31, 10, 11])
    }

    /// Runs an augmenter over a batch and returns the output.
    func augment(_ aug: inout Augmenter, _ input: [Float], samples: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: input.count)
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                aug.apply(source: src.baseAddress!, destination: dst.baseAddress!, samples: samples)
            }
        }
        return out
    }

    @Test func flipOnlyMirrorsRows() throws {
        let img: [Float] = [1, 2, 3, 4, 5, 6] // [1, 2, 3]
        var aug = try Augmenter(Augmentation(horizontalFlip: true), sampleShape: [1, 2, 3], seed: 1)
        let batch = Array(repeating: img, count: 64).flatMap { $0 }
        let out = augment(&aug, batch, samples: 64)
        var flipped = 0
        for s in 0..<64 {
            let o = Array(out[(s * 6)..<(s * 6 + 6)])
            #expect(o == img || o == [3, 2, 1, 6, 5, 4])
            if o != img { flipped += 1 }
        }
        #expect(flipped > 16 && flipped < 48)
    }

    @Test func cropShiftsWithZeroPadding() throws {
        // A 4x4 image of values 1...16; with padding 1 each output is a shift by (dy, dx) in -1...1.
        let img = (1...16).map(Float.init)
        var aug = try Augmenter(Augmentation(cropPadding: 1), sampleShape: [1, 4, 4], seed: 9)
        let out = augment(&aug, Array(repeating: img, count: 40).flatMap { $0 }, samples: 40)
        var shifts = Set<[Int]>()
        for s in 0..<40 {
            let o = Array(out[(s * 16)..<(s * 16 + 16)])
            var found: [Int]? = nil
            for dy in -1...1 { for dx in -1...1 {
                let expected = (0..<16).map { i -> Float in
                    let y = i / 4 + dy, x = i % 4 + dx
                    return (y >= 0 && y < 4 && x >= 0 && x < 4) ? img[y * 4 + x] : 0
                }
                if expected == o { found = [dy, dx] }
            } }
            let shift = try #require(found)
            shifts.insert(shift)
        }
        #expect(shifts.count >= 6)
        // Same seed, same augmentations; a reset to an epoch gives a reproducible stream.
        var a1 = try Augmenter(Augmentation(cropPadding: 1, horizontalFlip: true), sampleShape: [1, 4, 4], seed: 9)
        var a2 = try Augmenter(Augmentation(cropPadding: 1, horizontalFlip: true), sampleShape: [1, 4, 4], seed: 9)
        a1.reset(seed: 9, epoch: 3)
        a2.reset(seed: 9, epoch: 3)
        let batch = Array(repeating: img, count: 8).flatMap { $0 }
        #expect(augment(&a1, batch, samples: 8) == augment(&a2, batch, samples: 8))
    }

    @Test func generatorIsSplitMix64() {
        // Reference outputs of SplitMix64 seeded with 0, so shuffles stay identical across runs and platforms.
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
        var h = SeededGenerator(seed: 42)
        for _ in 0..<1000 { let v = h.nextInt(below: 7); #expect(v >= 0 && v < 7) }
        let p = h.permutation(20)
        #expect(p.sorted() == Array(0..<20))
    }

    @Test func augmentationNeedsImages() throws {
        #expect(diagnostic { _ = try Augmenter(Augmentation(cropPadding: 9), sampleShape: [1, 8, 8], seed: 0) }?.message
            == "crop padding 9 is larger than the 8x8 image")
        #expect(diagnostic { _ = try Augmenter(Augmentation(cropPadding: -1), sampleShape: [1, 8, 8], seed: 0) } != nil)
        #expect(diagnostic { _ = try Augmenter(Augmentation(horizontalFlip: true), sampleShape: [5], seed: 0) }?.message
            == "random crop and flip need image samples [C,H,W], got [5]")
        var id = try Augmenter(Augmentation(), sampleShape: [5], seed: 0)
        #expect(augment(&id, [1, 2, 3, 4, 5], samples: 1) == [1, 2, 3, 4, 5])
    }

    @Test func sampleShapeCheck() throws {
        try Dataset.check(sampleShape: [1, 28, 28], matches: .batched(1, 28, 28))
        let d = try #require(diagnostic {
            try Dataset.check(sampleShape: [1, 8, 8], matches: .batched(1, 28, 28), at: SourceLocation(file: "mnist.nas", line: 3, column: 12))
        })
        #expect(d.description == "mnist.nas:3:12: error: data sample shape [1,8,8] does not match the space input f32[N,1,28,28]")
        #expect(diagnostic { try Dataset.check(sampleShape: [64], matches: .batched(1, 8, 8)) } != nil)
        #expect(diagnostic { try Dataset.check(sampleShape: [4], matches: TensorType(.i64, [.batch, .fixed(4)])) }?.message
            == "data samples are f32 but the space input is i64[N,4]")
    }

    @Test func datasetInitRejectsInconsistentParts() throws {
        #expect(diagnostic { _ = try Dataset(features: [1, 2, 3], sampleShape: [2], labels: [0], numClasses: 2, source: "s") }?
            .message == "3 values are not a whole number of samples of shape [2]")
        #expect(diagnostic { _ = try Dataset(features: [1, 2], sampleShape: [1], labels: [0], numClasses: 2, source: "s") }?
            .message == "2 samples but 1 labels")
        #expect(diagnostic { _ = try Dataset(features: [1, 2], sampleShape: [1], labels: [0, -1], numClasses: 2, source: "s") }?
            .message == "label -1 of sample 1 is out of range 0..1")
        #expect(diagnostic { _ = try Dataset(features: [1, 2], sampleShape: [1], targets: [0], source: "s") }?
            .message == "2 samples need 2 targets but there are 1")
    }
}

@Suite struct BatchLoaderTests {
    @Test func epochCoversEveryLabelOnceAndReplays() throws {
        let d = try SyntheticData.blobs(count: 23, sampleShape: [1, 4, 4], numClasses: 3, seed: 4)
        var loader = try BatchLoader(dataset: d, batchSize: 5, seed: 8, augmentation: Augmentation(cropPadding: 1, horizontalFlip: true))
        var f = [Float](repeating: 0, count: loader.featureCapacity)
        var l = [Int32](repeating: 0, count: 5)
        func run(_ loader: inout BatchLoader) -> (sizes: [Int], labels: [Int32], features: [Float]) {
            var sizes: [Int] = [], labels: [Int32] = [], feats: [Float] = []
            while let n = f.withUnsafeMutableBufferPointer({ fb in l.withUnsafeMutableBufferPointer { lb in loader.next(features: fb, labels: lb) } }) {
                sizes.append(n)
                labels += l[0..<n]
                feats += f[0..<(n * 16)]
            }
            return (sizes, labels, feats)
        }
        let e0 = run(&loader)
        #expect(e0.sizes == [5, 5, 5, 5, 3])
        #expect(e0.labels.sorted() == d.labels.sorted())
        loader.startEpoch(1)
        let e1 = run(&loader)
        #expect(e1.labels != e0.labels || e1.features != e0.features)
        loader.startEpoch(0)
        let again = run(&loader)
        #expect(again.labels == e0.labels)
        #expect(again.features == e0.features)
    }

    @Test func withoutAugmentationBatchesAreExactSamples() throws {
        let d = try Dataset(features: [0, 1, 2, 3, 4, 5], sampleShape: [2], labels: [0, 1, 2], numClasses: 3, source: "s")
        var loader = try BatchLoader(dataset: d, batchSize: 2, shuffle: false, dropLast: true)
        var f = [Float](repeating: -1, count: 4)
        var l = [Int32](repeating: -1, count: 2)
        let n = f.withUnsafeMutableBufferPointer { fb in l.withUnsafeMutableBufferPointer { lb in loader.next(features: fb, labels: lb) } }
        #expect(n == 2)
        #expect(f == [0, 1, 2, 3])
        #expect(l == [0, 1])
        let end = f.withUnsafeMutableBufferPointer { fb in loader.next(features: fb) }
        #expect(end == nil)
    }
}
