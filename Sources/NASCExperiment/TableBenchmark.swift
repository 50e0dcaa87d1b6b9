// TableBenchmark: a tabular benchmark read from a JSON-lines file (`--benchmark table:PATH`), one architecture per line.
import Foundation
import NASCIR

/// What a benchmark table knows about one architecture.
public struct BenchmarkEntry: Sendable, Equatable {
    /// The number a strategy sees (e.g. validation accuracy; higher is better).
    public var metric: Double
    /// Per-epoch metrics (intermediate results, early stopping); `nil` when the table has none.
    public var curve: [Double]?
    /// Held-out metric, never shown to a strategy: the pick's `test` measures a search's regret.
    public var test: Double?
    /// Trainable parameters and FLOPs per sample.
    public var params: Int?
    public var flops: Int?
    /// Simulated training time in seconds.
    public var seconds: Double?

    /// Creates an entry.
    public init(metric: Double, curve: [Double]? = nil, test: Double? = nil, params: Int? = nil, flops: Int? = nil, seconds: Double? = nil) {
        self.metric = metric; self.curve = curve; self.test = test; self.params = params; self.flops = flops; self.seconds = seconds
    }
}

/// A tabular benchmark in the style of NAS-Bench-201: a JSON-lines file with one object per architecture,
///
/// ```
/// {"arch": {"edge0": "conv3x3", "edge1": "skip", "edge2": "none"}, "metric": 0.9861, "curve": [0.84, 0.95, 0.9861],
///  "test": 0.9778, "params": 12345, "flops": 67890, "seconds": 41.5}
/// ```
///
/// - `arch` (required): the architecture as an NNI v3 dict (v1 and tuner forms are read too), every label of the space;
/// - `metric` (required): what a strategy sees, a finite number;
/// - `curve`: per-epoch metrics; `test`: the held-out metric; `params`, `flops`: non-negative integers;
///   `seconds`: simulated training time (all optional).
///
/// Every architecture of the space must be in the table exactly once. Any problem is one error at `PATH:LINE`
/// (a line that is not JSON, an unknown key, an architecture outside the space, a duplicate, a NaN or missing
/// metric); missing architectures are named at the end of the file. Blank lines are skipped.
public struct TableBenchmark: BenchmarkTable {
    /// The file read.
    public let path: String
    /// The space it covers.
    public let space: SearchSpace
    /// Every architecture's entry.
    public let entries: [Architecture: BenchmarkEntry]

    /// Keys a line may have.
    public static let keys = ["arch", "metric", "curve", "test", "params", "flops", "seconds"]
    /// Spaces up to this size are enumerated to name missing architectures; larger ones are only counted.
    static let enumerationLimit = 1_000_000

    /// Reads and checks the table at `path` against `space`.
    public static func load(path: String, space: SearchSpace) throws -> TableBenchmark {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(.error("cannot read benchmark table '\(path)'", at: SourceLocation(file: path)))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticError(.error("benchmark table is not UTF-8 text", at: SourceLocation(file: path)))
        }
        var entries: [Architecture: BenchmarkEntry] = [:]
        var lineOf: [Architecture: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, raw) in lines.enumerated() {
            let lineNumber = i + 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let (arch, entry) = try parseLine(line, path: path, line: lineNumber, space: space)
            if let first = lineOf[arch] {
                throw located(path, lineNumber, "duplicate architecture (first on line \(first))")
            }
            lineOf[arch] = lineNumber
            entries[arch] = entry
        }
        let end = max(1, lines.last?.isEmpty == true ? lines.count - 1 : lines.count)
        let size = "\(space.size)"
        if space.log10Size > log10(Double(Self.enumerationLimit)) {
            if "\(entries.count)" != size {
                throw located(path, end, "the table has \(entries.count) architectures, the space \(size): some are missing")
            }
        } else {
            var missing: [Architecture] = []
            var count = 0
            for a in space.allArchitectures() where entries[a] == nil {
                count += 1
                if missing.count < 3 { missing.append(a) }
            }
            if count > 0 {
                let named = missing.map { (try? ArchitectureJSON.write($0, space: space)) ?? "?" }
                    .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
                throw located(path, end, "\(count) of the space's \(size) architectures \(count == 1 ? "is" : "are") missing from the table: "
                              + named.joined(separator: ", ") + (count > named.count ? " and \(count - named.count) more" : ""))
            }
        }
        return TableBenchmark(path: path, space: space, entries: entries)
    }

    /// The entry of `architecture`; throws for one the table does not have (impossible after ``load(path:space:)``
    /// for a valid architecture of the space).
    public func entry(_ architecture: Architecture) throws -> BenchmarkEntry {
        guard let e = entries[architecture] else {
            throw DiagnosticError(.error("architecture not in benchmark table", at: SourceLocation(file: path)))
        }
        return e
    }

    public func score(_ architecture: Architecture) throws -> Double { try entry(architecture).metric }

    // MARK: - Parsing

    static func located(_ path: String, _ line: Int, _ message: String) -> DiagnosticError {
        DiagnosticError(.error(message, at: SourceLocation(file: path, line: line, column: 1)))
    }

    static func parseLine(_ line: String, path: String, line lineNo: Int, space: SearchSpace) throws -> (Architecture, BenchmarkEntry) {
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw located(path, lineNo, "a table line must be a JSON object {\"arch\": ..., \"metric\": ...}")
            }
            object = o
        } catch let e as DiagnosticError {
            throw e
        } catch {
            // Python's json.dumps writes NaN and Infinity, which are not JSON: name the field.
            if let field = nonFiniteField(line) { throw located(path, lineNo, "'\(field)' is not a finite number") }
            throw located(path, lineNo, "not JSON: \(preview(line))")
        }
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw located(path, lineNo, "unknown key '\(unknown)'; a table line has \(keys.joined(separator: ", "))")
        }
        guard let archObject = object["arch"] else { throw located(path, lineNo, "no 'arch'") }
        guard archObject is [String: Any], let archData = try? JSONSerialization.data(withJSONObject: archObject, options: [.sortedKeys]) else {
            throw located(path, lineNo, "'arch' must be an object {label: value}")
        }
        let arch: Architecture
        do {
            arch = try ArchitectureJSON.read(String(decoding: archData, as: UTF8.self), space: space, file: path)
        } catch let e as DiagnosticError {
            let first = e.diagnostics.first?.message ?? "invalid architecture"
            let more = e.diagnostics.count > 1 ? " (and \(e.diagnostics.count - 1) more problems)" : ""
            throw located(path, lineNo, "architecture outside the space: \(first)\(more)")
        }
        func number(_ key: String, required: Bool = false) throws -> Double? {
            guard let v = object[key] else {
                if required { throw located(path, lineNo, "no '\(key)'") }
                return nil
            }
            guard let n = v as? NSNumber, !(v is Bool) else {
                throw located(path, lineNo, "'\(key)' must be a number")
            }
            let d = n.doubleValue
            guard d.isFinite else { throw located(path, lineNo, "'\(key)' is not a finite number") }
            return d
        }
        func count(_ key: String) throws -> Int? {
            guard let d = try number(key) else { return nil }
            guard d >= 0, d == d.rounded(), d < 9e18 else { throw located(path, lineNo, "'\(key)' must be a non-negative integer, got \(d)") }
            return Int(d)
        }
        var entry = BenchmarkEntry(metric: try number("metric", required: true)!)
        entry.test = try number("test")
        entry.params = try count("params")
        entry.flops = try count("flops")
        if let s = try number("seconds") {
            guard s >= 0 else { throw located(path, lineNo, "'seconds' must not be negative, got \(s)") }
            entry.seconds = s
        }
        if let c = object["curve"] {
            guard let list = c as? [Any], !list.isEmpty else { throw located(path, lineNo, "'curve' must be a non-empty list of numbers") }
            entry.curve = try list.enumerated().map { i, v in
                guard let n = v as? NSNumber, !(v is Bool) else { throw located(path, lineNo, "'curve' item \(i + 1) must be a number") }
                guard n.doubleValue.isFinite else { throw located(path, lineNo, "'curve' item \(i + 1) is not a finite number") }
                return n.doubleValue
            }
        }
        return (arch, entry)
    }

    /// The key whose value is a bare `NaN`, `Infinity` or `-Infinity` token, if the line parses with it as null.
    static func nonFiniteField(_ line: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: #"(-?Infinity|NaN)(?=\s*[,\]}])"#) else { return nil }
        let patched = regex.stringByReplacingMatches(in: line, range: NSRange(line.startIndex..., in: line), withTemplate: "null")
        guard patched != line, let o = try? JSONSerialization.jsonObject(with: Data(patched.utf8)) as? [String: Any] else { return nil }
        for key in keys where o[key] is NSNull { return key }
        for key in keys where (o[key] as? [Any])?.contains(where: { $0 is NSNull }) == true { return key }
        return "a number"
    }

    static func preview(_ line: String) -> String { line.count > 80 ? String(line.prefix(77)) + "..." : line }
}
