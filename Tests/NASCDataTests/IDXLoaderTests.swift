// IDXLoaderTests: IDX images and labels load and scale; every malformed file gives a located diagnostic.
import Foundation
import NASCData
import NASCIR
import Testing

@Suite struct IDXLoaderTests {
    @Test func loadsAndScales() throws {
        let dir = try makeTempDir()
        let img = try write(idxImages(count: 2, rows: 2, cols: 3, pixels: [0, 255, 51, 102, 0, 0, 1, 2, 3, 4, 5, 255]), to: dir, "i")
        let lab = try write(idxLabels([3, 9]), to: dir, "l")
        let d = try IDXLoader.load(images: img, labels: lab)
        #expect(d.count == 2)
        #expect(d.sampleShape == [1, 2, 3])
        #expect(d.labels == [3, 9])
        #expect(d.features[1] == 1)
        #expect(abs(d.features[2] - 0.2) < 1e-7)
        #expect(d.features[11] == 1)
        #expect(d.source == img)
    }

    @Test func missingFile() throws {
        let dir = try makeTempDir()
        let d = try #require(diagnostic { _ = try IDXLoader.readImages(dir + "/nope") })
        #expect(d.description == "\(dir)/nope: error: no such file")
    }

    @Test func gzippedFileGetsAHint() throws {
        let dir = try makeTempDir()
        try write([0x1f, 0x8b], to: dir, "x.gz")
        let d = try #require(diagnostic { _ = try IDXLoader.readImages(dir + "/x") })
        #expect(d.hint?.contains("decompress") == true)
    }

    @Test func wrongMagic() throws {
        let dir = try makeTempDir()
        let p = try write(idxLabels([1, 2]), to: dir, "labels-as-images")
        let d = try #require(diagnostic { _ = try IDXLoader.readImages(p) })
        #expect(d.location == SourceLocation(file: p))
        #expect(d.message == "wrong magic number 0x00000801 for an IDX image file (expected 0x00000803)")
        let q = try write(idxImages(count: 1, rows: 1, cols: 1, pixels: [0]), to: dir, "images-as-labels")
        let e = try #require(diagnostic { _ = try IDXLoader.readLabels(q) })
        #expect(e.message.hasPrefix("wrong magic number 0x00000803"))
    }

    @Test func truncatedImages() throws {
        let dir = try makeTempDir()
        let p = try write(idxImages(count: 3, rows: 2, cols: 2, pixels: [UInt8](repeating: 7, count: 10)), to: dir, "img")
        let d = try #require(diagnostic { _ = try IDXLoader.readImages(p) })
        #expect(d.description == "\(p): error: truncated file: header says 3 images of 2x2 (12 bytes) but only 10 bytes follow")
        let h = try write(be32(0x803) + be32(1), to: dir, "short-header")
        let e = try #require(diagnostic { _ = try IDXLoader.readImages(h) })
        #expect(e.message.hasPrefix("truncated file"))
        let huge = try write(idxImages(count: 0xFFFF_FFFF, rows: 0xFFFF_FFFF, cols: 0xFFFF_FFFF, pixels: []), to: dir, "huge")
        let f = try #require(diagnostic { _ = try IDXLoader.readImages(huge) })
        #expect(f.message.hasPrefix("truncated file"))
    }

    @Test func trailingBytes() throws {
        let dir = try makeTempDir()
        let p = try write(idxImages(count: 1, rows: 1, cols: 2, pixels: [1, 2, 3]), to: dir, "img")
        let d = try #require(diagnostic { _ = try IDXLoader.readImages(p) })
        #expect(d.message == "file has 1 unexpected bytes after the 1 images its header announces")
    }

    @Test func truncatedLabels() throws {
        let dir = try makeTempDir()
        let p = try write(idxLabels([1, 2], count: 5), to: dir, "lab")
        let d = try #require(diagnostic { _ = try IDXLoader.readLabels(p) })
        #expect(d.description == "\(p): error: truncated file: header says 5 labels but only 2 bytes follow")
    }

    @Test func labelOutOfRange() throws {
        let dir = try makeTempDir()
        let p = try write(idxLabels([1, 10, 2]), to: dir, "lab")
        let d = try #require(diagnostic { _ = try IDXLoader.readLabels(p, numClasses: 10) })
        #expect(d.description == "\(p): error: label 10 of item 1 is out of range 0..9")
        #expect(try IDXLoader.readLabels(p, numClasses: 11) == [1, 10, 2])
    }

    @Test func countMismatch() throws {
        let dir = try makeTempDir()
        let img = try write(idxImages(count: 2, rows: 1, cols: 1, pixels: [0, 1]), to: dir, "img")
        let lab = try write(idxLabels([1, 2, 3]), to: dir, "lab")
        let d = try #require(diagnostic { _ = try IDXLoader.load(images: img, labels: lab) })
        #expect(d.location.file == lab)
        #expect(d.message == "label file has 3 labels but image file \(img) has 2 images")
    }

    @Test func directoryInsteadOfFile() throws {
        let dir = try makeTempDir()
        let d = try #require(diagnostic { _ = try IDXLoader.readLabels(dir) })
        #expect(d.message == "expected a file but found a directory")
    }
}
