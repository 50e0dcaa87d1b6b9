// DataSpecTests: data set names parse into specs, load, and reject bad names with clear messages.
import NASCData
import NASCIR
import Testing

@Suite struct DataSpecTests {
    @Test func parsesForms() throws {
        #expect(try DataSpec.parse("mnist:/data/mnist") == .idx(directory: "/data/mnist"))
        #expect(try DataSpec.parse("cifar10:c") == .cifar10(directory: "c"))
        #expect(try DataSpec.parse("csv:a.csv?target=2&header=absent&classes=4")
            == .csv(path: "a.csv", options: CSVOptions(header: .absent, target: .column(2), numClasses: 4)))
        #expect(try DataSpec.parse("synthetic:regression?count=10&test=5&shape=3&seed=4")
            == .synthetic(SyntheticSpec(kind: .regression, count: 10, testCount: 5, sampleShape: [3], seed: 4)))
    }

    @Test func syntheticLoadsTrainAndTest() throws {
        let s = try DataSpec.parse("synthetic?count=30&test=10&shape=1x2x2&classes=3&seed=1").load()
        #expect(s.train.count == 30)
        #expect(s.test?.count == 10)
        #expect(s.train.sampleShape == [1, 2, 2])
        #expect(s.train.numClasses == 3)
        let r = try DataSpec.parse("synthetic:regression?count=20&test=4&shape=5").load()
        #expect(r.train.sampleShape == [5])
        #expect(r.test?.targets.count == 4)
    }

    @Test func idxDirectoryWithoutTestPair() throws {
        let dir = try makeTempDir()
        try write(idxImages(count: 1, rows: 2, cols: 2, pixels: [0, 1, 2, 3]), to: dir, "train-images-idx3-ubyte")
        try write(idxLabels([4]), to: dir, "train-labels-idx1-ubyte")
        let s = try DataSpec.parse("idx:\(dir)").load()
        #expect(s.train.labels == [4])
        #expect(s.test == nil)
    }

    @Test func badSpecs() throws {
        let loc = SourceLocation(file: "<command line>")
        let d = try #require(diagnostic { _ = try DataSpec.parse("imagenet", at: loc) })
        #expect(d.description == "<command line>: error: unknown data set \"imagenet\"")
        #expect(diagnostic { _ = try DataSpec.parse("mnist") }?.message == "data set \"mnist\" needs a directory: mnist:DIRECTORY")
        #expect(diagnostic { _ = try DataSpec.parse("csv:a.csv?task=ranking") }?.message
            == "task must be classification or regression, got \"ranking\"")
        #expect(diagnostic { _ = try DataSpec.parse("synthetic?count=-3") }?.message == "count must be a positive integer up to 2147483648, got \"-3\"")
        #expect(diagnostic { _ = try DataSpec.parse("synthetic?shape=1xx2") }?.message == "shape must look like 1x8x8, got \"1xx2\"")
        #expect(diagnostic { _ = try DataSpec.parse("digits?x=1") }?.message == "unknown option \"x\" for data set \"digits\"")
        #expect(diagnostic { _ = try DataSpec.parse("synthetic?count") }?.message
            == "option \"count\" in data set \"synthetic?count\" must be key=value")
    }
}
