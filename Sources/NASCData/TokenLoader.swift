// TokenLoader: reads pre-tokenized data (a label then token ids on each line) into token-id samples.
import NASCIR

/// How to read a pre-tokenized file (`tokens:PATH?test=PATH&vocab=N&length=T`).
public struct TokenOptions: Sendable, Hashable {
    /// A held-out file of the same layout.
    public var testPath: String?
    /// Number of ids; every id must be below it. Nil: the largest id in the files plus one.
    public var vocabularySize: Int?
    /// Tokens per sample (truncated or padded with id 0). Nil: the longest line.
    public var length: Int?

    /// Creates the default options.
    public init() {}
}

/// Loader for `tokens:` data sets: one sample per line, integers separated by spaces, tabs or commas; the first is
/// the class label, the rest the token ids (0 is padding). Blank lines and lines starting with `#` are skipped.
public enum TokenLoader {
    /// One parsed line.
    struct Line {
        var label: Int
        var ids: [Int]
        var line: Int
        var columns: [Int]
    }

    /// The training split (and the test split when ``TokenOptions/testPath`` is set).
    ///
    /// - Throws: ``DiagnosticError`` at `file:line:column` for a cell that is not a non-negative integer, a line
    ///   without ids, or an id not below `vocab`; at the file for a file without samples.
    public static func load(path: String, options: TokenOptions) throws -> DataSplits {
        if let v = options.vocabularySize, v < 1 || v > TokenSamples.maxVocabulary {
            throw DiagnosticError(.error("vocab must be in 1...\(TokenSamples.maxVocabulary), got \(v)", at: SourceLocation(file: path)))
        }
        if let t = options.length, t < 1 || t > 1 << 16 {
            throw DiagnosticError(.error("length must be in 1...\(1 << 16), got \(t)", at: SourceLocation(file: path)))
        }
        let train = try lines(path: path, vocabulary: options.vocabularySize)
        let test = try options.testPath.map { try lines(path: $0, vocabulary: options.vocabularySize) }
        let all = train + (test ?? [])
        let length = options.length ?? all.map(\.ids.count).max()!
        let size = options.vocabularySize ?? (all.flatMap(\.ids).max()! + 1)
        let classes = all.map(\.label).max()! + 1
        return DataSplits(train: try encode(train, path: path, length: length, size: size, classes: classes),
                          test: try test.map { try encode($0, path: options.testPath!, length: length, size: size, classes: classes) })
    }

    static func lines(path: String, vocabulary: Int?) throws -> [Line] {
        let content = try DataFile.readText(path)
        var result: [Line] = []
        var lineNo = 0
        for raw in content.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNo += 1
            var values: [Int] = []
            var columns: [Int] = []
            var column = 0, start = 0
            var cell = ""
            func finish() throws {
                guard !cell.isEmpty else { return }
                let at = SourceLocation(file: path, line: lineNo, column: start)
                guard let v = Int(cell), v >= 0 else {
                    throw DiagnosticError(.error("\"\(cell)\" is not a non-negative integer", at: at))
                }
                if let n = vocabulary, !values.isEmpty, v >= n {
                    throw DiagnosticError(.error("token id \(v) is not below the vocabulary size \(n) (vocab=\(n))", at: at))
                }
                if values.isEmpty, v >= Dataset.maxClasses {
                    throw DiagnosticError(.error("label \(v) is too large (at most \(Dataset.maxClasses) classes)", at: at))
                }
                if !values.isEmpty, v >= TokenSamples.maxVocabulary {
                    throw DiagnosticError(.error("token id \(v) is too large (ids are below \(TokenSamples.maxVocabulary))", at: at))
                }
                values.append(v)
                columns.append(start)
                cell = ""
            }
            if raw.first == "#" { continue }
            for ch in raw {
                column += 1
                if ch == " " || ch == "\t" || ch == "," || ch == "\r" { try finish() } else {
                    if cell.isEmpty { start = column }
                    cell.append(ch)
                }
            }
            try finish()
            if values.isEmpty { continue }
            guard values.count >= 2 else {
                throw DiagnosticError(.error("a line holds a label and at least one token id", at: SourceLocation(file: path, line: lineNo, column: column + 1)))
            }
            result.append(Line(label: values[0], ids: Array(values.dropFirst()), line: lineNo, columns: Array(columns.dropFirst())))
        }
        guard !result.isEmpty else { throw DiagnosticError(.error("token file has no samples", at: SourceLocation(file: path))) }
        return result
    }

    static func encode(_ lines: [Line], path: String, length: Int, size: Int, classes: Int) throws -> Dataset {
        var features = [Float]()
        features.reserveCapacity(lines.count * length)
        var largest = (id: -1, at: SourceLocation(file: path))
        for l in lines {
            for (k, id) in l.ids.enumerated() where id > largest.id {
                largest = (id, SourceLocation(file: path, line: l.line, column: l.columns[k]))
            }
            features.append(contentsOf: l.ids.prefix(length).map(Float.init))
            features.append(contentsOf: repeatElement(0, count: max(0, length - l.ids.count)))
        }
        let data = try Dataset(features: features, sampleShape: [length], labels: lines.map { Int32($0.label) },
                               numClasses: classes, source: path)
        return try data.asTokens(TokenSamples(size: size, largestID: largest.id, largestIDLocation: largest.at))
    }
}
