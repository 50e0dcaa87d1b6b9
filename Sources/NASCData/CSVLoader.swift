// CSVLoader: reads tabular data from a CSV file (numeric features, one target column) into a Dataset.
import NASCIR

/// How to read a CSV file.
public struct CSVOptions: Sendable, Hashable {
    /// Whether the first row names the columns.
    public enum Header: String, Sendable, Hashable {
        /// A header if every non-target cell of the first row is not a number.
        case auto
        /// The first row is a header.
        case present
        /// Every row is data.
        case absent
    }

    /// Which column holds the label or target.
    public enum Target: Sendable, Hashable {
        /// The last column.
        case last
        /// The column with this header name (requires a header).
        case named(String)
        /// The column at this 0-based index.
        case column(Int)
    }

    /// Whether the target is a class (integer or name) or a number to regress.
    public enum Task: String, Sendable, Hashable {
        /// Integer labels (used as-is) or class names (mapped to indices in sorted name order).
        case classification
        /// A numeric target.
        case regression
    }

    /// Header handling; `.auto` by default.
    public var header: Header
    /// The target column; the last one by default.
    public var target: Target
    /// Classification (default) or regression.
    public var task: Task
    /// The cell separator; a comma by default.
    public var delimiter: Character
    /// The number of classes for integer labels; when nil, the largest label plus one.
    public var numClasses: Int?

    /// Creates options.
    public init(header: Header = .auto, target: Target = .last, task: Task = .classification,
                delimiter: Character = ",", numClasses: Int? = nil) {
        self.header = header
        self.target = target
        self.task = task
        self.delimiter = delimiter
        self.numClasses = numClasses
    }
}

/// Loader for CSV files: one sample per line, numeric feature cells, one target column.
/// Samples have shape `[F]` where F is the number of feature columns. Blank lines are skipped;
/// double-quoted cells may contain the delimiter (`""` is a literal quote).
public enum CSVLoader {
    /// One cell and the 1-based column where it starts.
    struct Cell {
        var text: String
        var column: Int
    }

    /// Loads the CSV file at `path`.
    ///
    /// - Throws: ``DiagnosticError`` at `path:line:column` for a ragged row, a non-numeric feature cell, a
    ///   non-numeric regression target, a negative or out-of-range integer label, an unknown target column
    ///   name, or a file without data rows; at `path` for a missing file.
    public static func load(path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        let text = try DataFile.readText(path)
        return try parse(text, file: path, options: options)
    }

    /// Parses CSV text; `file` names it in diagnostics.
    ///
    /// - Throws: ``DiagnosticError`` as described for ``load(path:options:)``.
    public static func parse(_ text: String, file: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        if let n = options.numClasses, n <= 0 || n > Dataset.maxClasses {
            throw DiagnosticError(.error("number of classes must be in 1...\(Dataset.maxClasses), got \(n)",
                                         at: SourceLocation(file: file)))
        }
        var rows: [(line: Int, cells: [Cell])] = []
        var lineNo = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNo += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            rows.append((lineNo, try cells(of: line, delimiter: options.delimiter, file: file, line: lineNo)))
        }
        let fileLoc = SourceLocation(file: file)
        guard let first = rows.first else {
            throw DiagnosticError(.error("CSV file has no rows", at: fileLoc))
        }
        let width = first.cells.count
        guard width >= 2 else {
            throw DiagnosticError(.error("CSV needs at least one feature column and a target column; line \(first.line) has \(width) column", at: SourceLocation(file: file, line: first.line, column: 1)))
        }
        // Where is the target column, and is the first row a header?
        var targetIndex: Int
        var hasHeader: Bool
        switch options.target {
        case .last: targetIndex = width - 1
        case .column(let c):
            guard c >= 0, c < width else {
                throw DiagnosticError(.error("target column \(c) is out of range 0..\(width - 1)", at: SourceLocation(file: file, line: first.line, column: 1)))
            }
            targetIndex = c
        case .named: targetIndex = -1
        }
        switch options.header {
        case .present: hasHeader = true
        case .absent: hasHeader = false
        case .auto:
            if case .named = options.target { hasHeader = true } else {
                hasHeader = first.cells.enumerated().allSatisfy { i, c in i == targetIndex || number(c.text) == nil }
            }
        }
        if case .named(let name) = options.target {
            guard hasHeader else {
                throw DiagnosticError(.error("target column \"\(name)\" is named but the file has no header row", at: fileLoc))
            }
            guard let idx = first.cells.firstIndex(where: { trim($0.text) == name }) else {
                let names = first.cells.map { "\"\(trim($0.text))\"" }.joined(separator: ", ")
                throw DiagnosticError(.error("no column named \"\(name)\" in the header (columns: \(names))",
                                             at: SourceLocation(file: file, line: first.line, column: 1)))
            }
            targetIndex = idx
        }
        let headerNames = hasHeader ? first.cells.map { trim($0.text) } : []
        let dataRows = hasHeader ? Array(rows.dropFirst()) : rows
        guard !dataRows.isEmpty else {
            throw DiagnosticError(.error("CSV file has a header but no data rows", at: fileLoc))
        }
        let featureCount = width - 1
        var features = [Float]()
        features.reserveCapacity(dataRows.count * featureCount)
        var targetCells: [(text: String, loc: SourceLocation)] = []
        targetCells.reserveCapacity(dataRows.count)
        for row in dataRows {
            guard row.cells.count == width else {
                let col = row.cells.count > width ? row.cells[width].column : 1
                throw DiagnosticError(.error(
                    "row has \(row.cells.count) columns but line \(first.line) has \(width)",
                    at: SourceLocation(file: file, line: row.line, column: col)))
            }
            for (i, cell) in row.cells.enumerated() {
                let loc = SourceLocation(file: file, line: row.line, column: cell.column)
                if i == targetIndex {
                    targetCells.append((trim(cell.text), loc))
                    continue
                }
                guard let v = number(cell.text) else {
                    let name = i < headerNames.count ? " (\"\(headerNames[i])\")" : ""
                    let shown = trim(cell.text).isEmpty ? "empty cell" : "cell \"\(trim(cell.text))\""
                    throw DiagnosticError(.error("\(shown) in column \(i)\(name) is not a finite number", at: loc))
                }
                features.append(v)
            }
        }
        switch options.task {
        case .regression:
            var targets = [Float]()
            targets.reserveCapacity(targetCells.count)
            for (text, loc) in targetCells {
                guard let v = number(text) else {
                    throw DiagnosticError(.error("regression target \"\(text)\" is not a finite number", at: loc))
                }
                targets.append(v)
            }
            return try Dataset(features: features, sampleShape: [featureCount], targets: targets, outputs: 1, source: file)
        case .classification:
            let ints = targetCells.map { Int($0.text) }
            if ints.allSatisfy({ $0 != nil }) {
                let values = ints.map { $0! }
                for (k, v) in values.enumerated() where v >= Dataset.maxClasses {
                    throw DiagnosticError(.error("label \(v) is too large (at most \(Dataset.maxClasses) classes)",
                                                 at: targetCells[k].loc))
                }
                let n = options.numClasses ?? ((values.max() ?? 0) + 1)
                for (k, v) in values.enumerated() where v < 0 || v >= n {
                    throw DiagnosticError(.error("label \(v) is out of range 0..\(n - 1)", at: targetCells[k].loc))
                }
                return try Dataset(features: features, sampleShape: [featureCount], labels: values.map { Int32($0) },
                                   numClasses: n, source: file)
            }
            let names = Array(Set(targetCells.map(\.text))).sorted()
            if let n = options.numClasses, names.count > n {
                throw DiagnosticError(.error("\(names.count) class names but \(n) classes expected", at: fileLoc))
            }
            var index: [String: Int32] = [:]
            for (i, name) in names.enumerated() { index[name] = Int32(i) }
            let labels = targetCells.map { index[$0.text]! }
            return try Dataset(features: features, sampleShape: [featureCount], labels: labels,
                               numClasses: options.numClasses ?? names.count, classNames: names, source: file)
        }
    }

    /// Splits one line into cells, honouring double quotes.
    static func cells(of line: Substring, delimiter: Character, file: String, line lineNo: Int) throws -> [Cell] {
        var result: [Cell] = []
        var current = ""
        var start = 1
        var column = 0
        var inQuotes = false
        var quoteStart = 0
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while true {
            let ch: Character
            if let p = pending { ch = p; pending = nil } else if let n = iterator.next() { ch = n } else { break }
            column += 1
            if inQuotes {
                if ch == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { current.append("\""); column += 1 } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else { current.append(ch) }
            } else if ch == "\"" && trim(current).isEmpty {
                inQuotes = true
                quoteStart = column
                current = ""
            } else if ch == delimiter {
                result.append(Cell(text: current, column: start))
                current = ""
                start = column + 1
            } else {
                current.append(ch)
            }
        }
        if inQuotes {
            throw DiagnosticError(.error("unterminated quoted cell", at: SourceLocation(file: file, line: lineNo, column: quoteStart)))
        }
        result.append(Cell(text: current, column: start))
        return result
    }

    /// The cell's value if it is a finite number.
    static func number(_ text: String) -> Float? {
        let t = trim(text)
        guard !t.isEmpty, let v = Float(t), v.isFinite else { return nil }
        return v
    }

    static func trim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
        return String(sub)
    }
}
