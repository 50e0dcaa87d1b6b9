// IDXLoader: reads MNIST-format IDX files (idx3 ubyte images, idx1 ubyte labels) into a Dataset.
import NASCIR

/// Loader for the IDX format used by MNIST, Fashion-MNIST and the bundled `digits` set.
///
/// Images: big-endian magic `0x00000803`, then count, rows and columns (UInt32 each), then one UInt8 per
/// pixel, row-major. Labels: magic `0x00000801`, count, then one UInt8 per label. Pixels are scaled to
/// `[0, 1]` and each sample has shape `[1, rows, cols]`.
public enum IDXLoader {
    /// Magic number of a ubyte, three-dimensional IDX file (images).
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// Magic number of a ubyte, one-dimensional IDX file (labels).
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The pixels of an IDX image file: `count` images of `rows x cols`, scaled to `[0, 1]`.
    public struct Images: Sendable {
        /// Number of images.
        public var count: Int
        /// Rows per image.
        public var rows: Int
        /// Columns per image.
        public var cols: Int
        /// `count * rows * cols` floats in `[0, 1]`.
        public var pixels: [Float]
    }

    /// Loads an image file and a label file into a classification data set.
    ///
    /// - Throws: ``DiagnosticError`` naming the file for a missing file, a wrong magic number, a truncated
    ///   or over-long file, a label outside `0..<numClasses`, or different image and label counts.
    public static func load(images imagesPath: String, labels labelsPath: String, numClasses: Int = 10) throws -> Dataset {
        try load(images: try DataFile.read(imagesPath), labels: try DataFile.read(labelsPath), imagesSource: imagesPath,
                 labelsSource: labelsPath, numClasses: numClasses)
    }

    /// ``load(images:labels:numClasses:)`` for the files' bytes; the sources name them in diagnostics.
    public static func load(images imageBytes: [UInt8], labels labelBytes: [UInt8], imagesSource imagesPath: String,
                            labelsSource labelsPath: String, numClasses: Int = 10) throws -> Dataset {
        let images = try readImages(bytes: imageBytes, source: imagesPath)
        let labels = try readLabels(bytes: labelBytes, source: labelsPath, numClasses: numClasses)
        guard images.count == labels.count else {
            throw DiagnosticError(.error(
                "label file has \(labels.count) labels but image file \(imagesPath) has \(images.count) images",
                at: SourceLocation(file: labelsPath)))
        }
        return try Dataset(features: images.pixels, sampleShape: [1, images.rows, images.cols], labels: labels,
                           numClasses: numClasses, source: imagesPath)
    }

    /// Reads an idx3 ubyte image file.
    ///
    /// - Throws: ``DiagnosticError`` at `path` for a missing file, wrong magic, truncated or over-long data.
    public static func readImages(_ path: String) throws -> Images {
        try readImages(bytes: try DataFile.read(path), source: path)
    }

    /// ``readImages(_:)`` for a file's bytes; `path` names it in diagnostics.
    public static func readImages(bytes: [UInt8], source path: String) throws -> Images {
        let loc = SourceLocation(file: path)
        try checkMagic(bytes, expected: imagesMagic, what: "image", path: path)
        guard bytes.count >= 16 else {
            throw DiagnosticError(.error("truncated file: \(bytes.count) bytes is shorter than the 16-byte image header", at: loc))
        }
        let n = Int(word(bytes, 4)), rows = Int(word(bytes, 8)), cols = Int(word(bytes, 12))
        guard rows > 0, cols > 0 else {
            throw DiagnosticError(.error("invalid image size \(rows)x\(cols) in header", at: loc))
        }
        let (pixelsPerImage, overflow1) = rows.multipliedReportingOverflow(by: cols)
        let (need, overflow2) = n.multipliedReportingOverflow(by: pixelsPerImage)
        let overflow = overflow1 || overflow2
        let have = bytes.count - 16
        guard !overflow, have >= need else {
            throw DiagnosticError(.error(
                "truncated file: header says \(n) images of \(rows)x\(cols) (\(overflow ? "too many" : String(need)) bytes) but only \(have) bytes follow",
                at: loc))
        }
        guard have == need else {
            throw DiagnosticError(.error(
                "file has \(have - need) unexpected bytes after the \(n) images its header announces", at: loc))
        }
        var pixels = [Float](repeating: 0, count: need)
        for i in 0..<need { pixels[i] = Float(bytes[16 + i]) / 255 }
        return Images(count: n, rows: rows, cols: cols, pixels: pixels)
    }

    /// Reads an idx1 ubyte label file, checking every label is in `0..<numClasses`.
    ///
    /// - Throws: ``DiagnosticError`` at `path` for a missing file, wrong magic, truncated data or a bad label.
    public static func readLabels(_ path: String, numClasses: Int = 10) throws -> [Int32] {
        try readLabels(bytes: try DataFile.read(path), source: path, numClasses: numClasses)
    }

    /// ``readLabels(_:numClasses:)`` for a file's bytes; `path` names it in diagnostics.
    public static func readLabels(bytes: [UInt8], source path: String, numClasses: Int = 10) throws -> [Int32] {
        let loc = SourceLocation(file: path)
        try checkMagic(bytes, expected: labelsMagic, what: "label", path: path)
        guard bytes.count >= 8 else {
            throw DiagnosticError(.error("truncated file: \(bytes.count) bytes is shorter than the 8-byte label header", at: loc))
        }
        let n = Int(word(bytes, 4))
        let have = bytes.count - 8
        guard have >= n else {
            throw DiagnosticError(.error("truncated file: header says \(n) labels but only \(have) bytes follow", at: loc))
        }
        guard have == n else {
            throw DiagnosticError(.error("file has \(have - n) unexpected bytes after the \(n) labels its header announces", at: loc))
        }
        var labels = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let l = Int32(bytes[8 + i])
            guard l < numClasses else {
                throw DiagnosticError(.error("label \(l) of item \(i) is out of range 0..\(numClasses - 1)", at: loc))
            }
            labels[i] = l
        }
        return labels
    }

    private static func checkMagic(_ bytes: [UInt8], expected: UInt32, what: String, path: String) throws {
        let loc = SourceLocation(file: path)
        guard bytes.count >= 4 else {
            throw DiagnosticError(.error("truncated file: \(bytes.count) bytes is too short for an IDX \(what) header", at: loc))
        }
        let magic = word(bytes, 0)
        guard magic == expected else {
            throw DiagnosticError(.error(
                "wrong magic number \(hex(magic)) for an IDX \(what) file (expected \(hex(expected)))", at: loc))
        }
    }

    private static func word(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
    }
}
