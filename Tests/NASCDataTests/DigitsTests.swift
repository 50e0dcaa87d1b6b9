// DigitsTests: the bundled digits set loads with the documented counts, class balance and checksums.
import Foundation
@testable import NASCData
import NASCIR
import Testing

@Suite struct DigitsTests {
    let dir = DataSpec.digitsDirectory(repositoryRoot: repositoryRoot)

    @Test func checksumsMatchTheReadme() throws {
        let expected = [
            "train-images-idx3-ubyte": "3ef572fe4844965b0381d407a5f7061f10cd9a021dfd30907b1fb892b8533732",
            "train-labels-idx1-ubyte": "f8a600b73e2c056aa42316260206e6643bd33e96bd71cfb8e32b94f76fac4f93",
            "t10k-images-idx3-ubyte": "df62a526e4596ce1f5734d29f8ae186e919f7cd7c8cbcbecaf3f63cf8b08bed0",
            "t10k-labels-idx1-ubyte": "cf2c8a23974df0c99eb3f36ff34c02acb9be1c84aca7280211ef04bea1135360",
        ]
        for (name, sum) in expected {
            #expect(sha256Hex(try DataFile.read(dir + "/" + name)) == sum, "\(name)")
        }
    }

    @Test func sha256KnownAnswer() {
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func loadsThroughTheSpec() throws {
        let spec = try DataSpec.parse("digits")
        #expect(spec == .digits)
        let splits = try spec.load(repositoryRoot: repositoryRoot)
        let test = try #require(splits.test)
        #expect(splits.train.count == 1437)
        #expect(test.count == 360)
        #expect(splits.train.sampleShape == [1, 8, 8])
        #expect(splits.train.numClasses == 10)
        #expect(splits.train.features.count == 1437 * 64)
        #expect(splits.train.classCounts() == [143, 146, 142, 146, 144, 145, 144, 143, 141, 143])
        #expect(test.classCounts() == [35, 36, 35, 37, 37, 37, 37, 36, 33, 37])
        #expect(splits.train.features.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(splits.train.features.max() == 1)
        try splits.train.check(matches: .batched(1, 8, 8))
    }

    @Test func repositoryRootIsFoundFromASubdirectory() throws {
        let root = try #require(DataSpec.findRepositoryRoot(from: repositoryRoot + "/Tests/NASCDataTests"))
        #expect(URL(fileURLWithPath: root).standardized.path == URL(fileURLWithPath: repositoryRoot).standardized.path)
        #expect(DataSpec.findRepositoryRoot(from: try makeTempDir()) == nil)
    }

    /// Outside the repository `digits` is the copy compiled into the binary (issue 17: an installed nasc finds it).
    @Test func digitsUnderAWrongRootAreTheCompiledInCopy() throws {
        let tmp = try makeTempDir()
        let splits = try DataSpec.digits.load(repositoryRoot: tmp)
        #expect(splits.train.count == 1437 && splits.test?.count == 360)
    }
}

/// The digits set compiled into the binary equals the repository's files, and loads without the repository.
@Suite struct EmbeddedDigitsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func embeddedBytesEqualTheFiles() throws {
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            let file = try Data(contentsOf: Self.root.appendingPathComponent("examples/data/digits/\(name)"))
            #expect(EmbeddedDigits.bytes(name) == [UInt8](file), "\(name) differs: run scripts/gen-digits.py")
        }
    }

    @Test func digitsLoadOutsideTheRepository() throws {
        let embedded = try DataSpec.parse("digits").load(repositoryRoot: "/nonexistent")
        let files = try DataSpec.parse("digits").load(repositoryRoot: Self.root.path)
        #expect(embedded.train.count == files.train.count && embedded.test?.count == files.test?.count)
        #expect(embedded.train.features == files.train.features && embedded.train.labels == files.train.labels)
    }
}
