// CIFAR10Loader: reads CIFAR-10 binary batches (1 label byte + 3072 pixel bytes per record) into a Dataset.
import NASCIR

/// Loader for the CIFAR-10 binary format (`data_batch_1.bin` ... `data_batch_5.bin`, `test_batch.bin`).
///
/// Each record is one label byte (0-9) followed by 3072 bytes: the 1024 red, then green, then blue pixels
/// of a 32x32 image, row-major. Samples have shape `[3, 32, 32]` with pixels scaled to `[0, 1]`.
public enum CIFAR10Loader {
    /// Bytes per record: one label plus 3 * 32 * 32 pixels.
    public static let recordSize = 1 + 3 * 32 * 32
    /// CIFAR-10 has ten classes.
    public static let numClasses = 10
    /// The training batch file names, in order.
    public static let trainFiles = (1...5).map { "data_batch_\($0).bin" }
    /// The test batch file name.
    public static let testFile = "test_batch.bin"

    /// Loads and concatenates the given batch files, in order.
    ///
    /// - Throws: ``DiagnosticError`` naming the file for a missing file, a size that is not a whole number of
    ///   records (truncated), or a label outside 0-9.
    public static func load(files: [String]) throws -> Dataset {
        guard let first = files.first else {
            throw DiagnosticError(.error("no CIFAR-10 batch files given"))
        }
        var features = [Float]()
        var labels = [Int32]()
        for path in files {
            let bytes = try DataFile.read(path)
            let loc = SourceLocation(file: path)
            guard !bytes.isEmpty else {
                throw DiagnosticError(.error("empty CIFAR-10 batch file", at: loc))
            }
            guard bytes.count % recordSize == 0 else {
                throw DiagnosticError(.error(
                    "truncated file: \(bytes.count) bytes is not a whole number of \(recordSize)-byte CIFAR-10 records (last record has \(bytes.count % recordSize) bytes)",
                    at: loc))
            }
            let n = bytes.count / recordSize
            features.reserveCapacity(features.count + n * (recordSize - 1))
            for r in 0..<n {
                let base = r * recordSize
                let label = Int32(bytes[base])
                guard label < numClasses else {
                    throw DiagnosticError(.error("label \(label) of record \(r) is out of range 0..\(numClasses - 1)", at: loc))
                }
                labels.append(label)
                for i in 1..<recordSize { features.append(Float(bytes[base + i]) / 255) }
            }
        }
        return try Dataset(features: features, sampleShape: [3, 32, 32], labels: labels, numClasses: numClasses,
                           source: files.count == 1 ? first : first + " (+\(files.count - 1) more)")
    }

    /// Loads the training batches (`data_batch_1..5.bin`, those present; at least the first is required)
    /// or the test batch from a directory.
    ///
    /// - Throws: ``DiagnosticError`` when the directory or a batch file is missing or malformed.
    public static func load(directory: String, train: Bool) throws -> Dataset {
        guard DataFile.isDirectory(directory) else {
            throw DiagnosticError(.error("no such directory", at: SourceLocation(file: directory)))
        }
        if !train { return try load(files: [DataFile.join(directory, testFile)]) }
        var files = [DataFile.join(directory, trainFiles[0])]
        for name in trainFiles.dropFirst() {
            let p = DataFile.join(directory, name)
            if DataFile.exists(p) { files.append(p) }
        }
        return try load(files: files)
    }
}
