// TextLoader: reads a CSV or TSV of raw text and labels into token-id samples through a TextVocabulary.
import NASCIR

/// How to read a text file (`text:PATH?text=COL&label=COL&...`).
public struct TextOptions: Sendable, Hashable {
    /// A column by header name or 0-based index.
    public enum Column: Sendable, Hashable {
        case named(String)
        case index(Int)
    }

    /// The column holding the text; `text` by default.
    public var text: Column = .named("text")
    /// The column holding the class (an integer or a name); `label` by default.
    public var label: Column = .named("label")
    /// A held-out file of the same layout, encoded with the training file's vocabulary and classes.
    public var testPath: String?
    /// Tokens per sample: longer texts are truncated, shorter ones padded with id 0.
    public var length: Int = 64
    /// A word enters the vocabulary when it occurs at least this often in the training file.
    public var minCount: Int = 1
    /// The most ids, `<pad>` and `<unk>` included.
    public var maxVocabulary: Int = 20000
    /// A vocabulary file (``TextVocabulary/save(to:)``) to use instead of building one from the training file.
    public var vocabularyPath: String?
    /// The cell separator; nil picks a tab for `.tsv` files and a comma otherwise.
    public var delimiter: Character?

    /// Creates the default options.
    public init() {}

    /// The separator for `path`.
    func delimiter(for path: String) -> Character {
        delimiter ?? (path.lowercased().hasSuffix(".tsv") ? "\t" : ",")
    }
}

/// Loader for `text:` data sets: a header row, then one sample per line (a quoted cell may hold the separator,
/// `""` is a quote). The vocabulary comes from the training file (or ``TextOptions/vocabularyPath``); samples are
/// `[length]` token ids.
public enum TextLoader {
    /// One row's text and label cells with their locations.
    struct Row {
        var text: String
        var label: String
        var labelLocation: SourceLocation
        var line: Int
    }

    /// The training split (and the test split when ``TextOptions/testPath`` is set) of the file at `path`, with the
    /// vocabulary they were encoded with.
    ///
    /// - Throws: ``DiagnosticError`` at `file:line:column` for a ragged row, an unknown column name, a test label the
    ///   training file does not have; at the file for an empty file or an empty vocabulary.
    public static func load(path: String, options: TextOptions) throws -> (splits: DataSplits, vocabulary: TextVocabulary) {
        guard options.length >= 1, options.length <= 1 << 16 else {
            throw DiagnosticError(.error("length must be in 1...\(1 << 16), got \(options.length)", at: SourceLocation(file: path)))
        }
        let train = try rows(path: path, options: options)
        let test = try options.testPath.map { try rows(path: $0, options: options) }
        let vocabulary = try options.vocabularyPath.map { try TextVocabulary.load(path: $0) }
            ?? TextVocabulary.build(train.map { TextTokenizer.tokens($0.text) }, minCount: options.minCount,
                                    maxSize: options.maxVocabulary, source: path)
        let classes = try Classes(train, test ?? [])
        let trainSet = try encode(train, path: path, vocabulary: vocabulary, classes: classes, length: options.length)
        let testSet = try test.map { try encode($0, path: options.testPath!, vocabulary: vocabulary, classes: classes, length: options.length) }
        return (DataSplits(train: trainSet, test: testSet), vocabulary)
    }

    /// The vocabulary ``load(path:options:)`` would use, without encoding the samples.
    public static func vocabulary(path: String, options: TextOptions) throws -> TextVocabulary {
        if let v = options.vocabularyPath { return try TextVocabulary.load(path: v) }
        let train = try rows(path: path, options: options)
        return try TextVocabulary.build(train.map { TextTokenizer.tokens($0.text) }, minCount: options.minCount,
                                        maxSize: options.maxVocabulary, source: path)
    }

    /// The data rows of one file.
    static func rows(path: String, options: TextOptions) throws -> [Row] {
        let content = try DataFile.readText(path)
        let delimiter = options.delimiter(for: path)
        var header: [CSVLoader.Cell]?
        var headerLine = 0
        var textIndex = 0, labelIndex = 0
        var result: [Row] = []
        var lineNo = 0
        for rawLine in content.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNo += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let cells = try CSVLoader.cells(of: line, delimiter: delimiter, file: path, line: lineNo)
            guard let h = header else {
                header = cells
                headerLine = lineNo
                let at = SourceLocation(file: path, line: lineNo, column: 1)
                textIndex = try column(options.text, "text", in: cells, at: at)
                labelIndex = try column(options.label, "label", in: cells, at: at)
                continue
            }
            guard cells.count == h.count else {
                let col = cells.count > h.count ? cells[h.count].column : (cells.last.map { $0.column + $0.text.count } ?? 1)
                throw DiagnosticError(.error("row has \(cells.count) columns but the header (line \(headerLine)) has \(h.count)",
                                             at: SourceLocation(file: path, line: lineNo, column: col)))
            }
            let label = cells[labelIndex]
            result.append(Row(text: cells[textIndex].text, label: CSVLoader.trim(label.text),
                              labelLocation: SourceLocation(file: path, line: lineNo, column: label.column), line: lineNo))
        }
        guard header != nil else { throw DiagnosticError(.error("text file is empty (it needs a header row)", at: SourceLocation(file: path))) }
        guard !result.isEmpty else { throw DiagnosticError(.error("text file has a header but no data rows", at: SourceLocation(file: path))) }
        return result
    }

    /// The index of `column` in the header cells.
    static func column(_ column: TextOptions.Column, _ role: String, in header: [CSVLoader.Cell], at: SourceLocation) throws -> Int {
        switch column {
        case .index(let i):
            guard i >= 0, i < header.count else {
                throw DiagnosticError(.error("\(role) column \(i) is out of range 0..\(header.count - 1)", at: at))
            }
            return i
        case .named(let name):
            guard let i = header.firstIndex(where: { CSVLoader.trim($0.text) == name }) else {
                let names = header.map { "\"\(CSVLoader.trim($0.text))\"" }.joined(separator: ", ")
                throw DiagnosticError(.error("no \(role) column named \"\(name)\" in the header (columns: \(names))", at: at))
            }
            return i
        }
    }

    /// The class of each label: integers as they are, names by the sorted names of the training file.
    struct Classes {
        var names: [String] = []
        var index: [String: Int32] = [:]
        var count: Int

        init(_ train: [Row], _ test: [Row]) throws {
            if (train + test).allSatisfy({ Int($0.label).map { $0 >= 0 && $0 < Dataset.maxClasses } ?? false }) {
                count = (train + test).map { Int($0.label)! }.max()! + 1
                return
            }
            names = Array(Set(train.map(\.label))).sorted()
            for (i, n) in names.enumerated() { index[n] = Int32(i) }
            count = names.count
        }

        func label(_ row: Row) throws -> Int32 {
            if names.isEmpty { return Int32(row.label)! }
            guard let l = index[row.label] else {
                throw DiagnosticError(.error("label \"\(row.label)\" is not one of the training file's classes (\(names.joined(separator: ", ")))",
                                             at: row.labelLocation))
            }
            return l
        }
    }

    /// `rows` as a token data set of `[length]` samples.
    static func encode(_ rows: [Row], path: String, vocabulary: TextVocabulary, classes: Classes, length: Int) throws -> Dataset {
        var features = [Float]()
        features.reserveCapacity(rows.count * length)
        var labels = [Int32]()
        labels.reserveCapacity(rows.count)
        var largest = (id: -1, line: 0)
        for row in rows {
            let ids = vocabulary.encode(row.text, length: length)
            if let m = ids.max(), m > largest.id { largest = (m, row.line) }
            features.append(contentsOf: ids.map(Float.init))
            labels.append(try classes.label(row))
        }
        let data = try Dataset(features: features, sampleShape: [length], labels: labels, numClasses: classes.count,
                               classNames: classes.names, source: path)
        return try data.asTokens(TokenSamples(size: vocabulary.count, largestID: largest.id,
                                              largestIDLocation: SourceLocation(file: path, line: largest.line)))
    }
}
