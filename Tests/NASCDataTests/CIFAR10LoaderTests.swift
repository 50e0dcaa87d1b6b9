// CIFAR10LoaderTests: CIFAR-10 binary records load channel-major; bad files give located diagnostics.
import Foundation
import NASCData
import NASCIR
import Testing

/// One CIFAR record: label then 3072 pixels where pixel i has value (i + seed) % 256.
func cifarRecord(label: UInt8, seed: Int) -> [UInt8] {
    [label] + (0..<3072).map { UInt8(($0 + seed) % 256) }
}

@Suite struct CIFAR10LoaderTests {
    @Test func loadsSeveralFilesInOrder() throws {
        let dir = try makeTempDir()
        try write(cifarRecord(label: 3, seed: 0) + cifarRecord(label: 9, seed: 1), to: dir, "data_batch_1.bin")
        try write(cifarRecord(label: 0, seed: 2), to: dir, "data_batch_2.bin")
        try write(cifarRecord(label: 5, seed: 3), to: dir, "test_batch.bin")
        let train = try CIFAR10Loader.load(directory: dir, train: true)
        #expect(train.count == 3)
        #expect(train.sampleShape == [3, 32, 32])
        #expect(train.labels == [3, 9, 0])
        #expect(train.features[3072] == Float(1) / 255)      // record 1, pixel 0 = 1
        #expect(train.features[2 * 3072 + 1024] == Float((1024 + 2) % 256) / 255) // record 2, green plane
        let test = try CIFAR10Loader.load(directory: dir, train: false)
        #expect(test.labels == [5])
        let spec = try DataSpec.parse("cifar10:\(dir)")
        let splits = try spec.load()
        #expect(splits.train.count == 3)
        #expect(splits.test?.count == 1)
    }

    @Test func truncatedRecord() throws {
        let dir = try makeTempDir()
        let p = try write(cifarRecord(label: 1, seed: 0) + [2, 0, 0], to: dir, "data_batch_1.bin")
        let d = try #require(diagnostic { _ = try CIFAR10Loader.load(files: [p]) })
        #expect(d.description == "\(p): error: truncated file: 3076 bytes is not a whole number of 3073-byte CIFAR-10 records (last record has 3 bytes)")
    }

    @Test func labelOutOfRange() throws {
        let dir = try makeTempDir()
        let p = try write(cifarRecord(label: 1, seed: 0) + cifarRecord(label: 12, seed: 0), to: dir, "b.bin")
        let d = try #require(diagnostic { _ = try CIFAR10Loader.load(files: [p]) })
        #expect(d.description == "\(p): error: label 12 of record 1 is out of range 0..9")
    }

    @Test func missingFirstBatch() throws {
        let dir = try makeTempDir()
        let d = try #require(diagnostic { _ = try CIFAR10Loader.load(directory: dir, train: true) })
        #expect(d.description == "\(dir)/data_batch_1.bin: error: no such file")
        let e = try #require(diagnostic { _ = try CIFAR10Loader.load(directory: dir + "/absent", train: true) })
        #expect(e.message == "no such directory")
    }
}
