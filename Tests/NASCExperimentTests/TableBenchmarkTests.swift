// TableBenchmarkTests: `--benchmark table:PATH` reads JSON lines, covers the space, and every bad input is one located error.
import Foundation
import NASCIR
import Testing
@testable import NASCExperiment

@Suite struct TableBenchmarkTests {
    /// A line of the 6-architecture fixture space.
    static func line(_ act: String, _ width: Int, metric: String, extra: String = "") -> String {
        #"{"arch": {"act": "\#(act)", "width": \#(width)}, "metric": \#(metric)\#(extra)}"#
    }

    /// The full table: metric 0.5 + width/100 (+0.1 for relu), test 0.01 below.
    static var full: [String] {
        ["relu", "tanh"].flatMap { act in [4, 8, 16].map { w in
            let m = 0.5 + Double(w) / 100 + (act == "relu" ? 0.1 : 0)
            return line(act, w, metric: String(m), extra: #", "test": \#(m - 0.01), "curve": [0.1, \#(m)], "params": \#(w * 10)"#)
        } }
    }

    func write(_ lines: [String]) throws -> String {
        let path = try Fixtures.tempDir() + "/table.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func space() throws -> SearchSpace { try SearchSpace(try Fixtures.space()) }

    /// The one diagnostic loading `lines` gives, as `file:line:col: error: message` with the path replaced by TABLE.
    func error(_ lines: [String]) throws -> String {
        let path = try write(lines)
        do {
            _ = try TableBenchmark.load(path: path, space: try space())
            Issue.record("expected an error")
            return ""
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.count == 1)
            return e.description.replacingOccurrences(of: path, with: "TABLE")
        }
    }

    @Test func readsEveryFieldAndCoversTheSpace() throws {
        let path = try write(Self.full)
        let table = try TableBenchmark.load(path: path, space: try space())
        #expect(table.entries.count == 6)
        let best = Architecture(["act": .candidate("relu"), "width": .value(.int(16))])
        let e = try table.entry(best)
        #expect(abs(e.metric - 0.76) < 1e-12 && abs((e.test ?? 0) - 0.75) < 1e-12 && e.params == 160 && e.curve?.count == 2)
        #expect(try table.score(best) == e.metric)
        // Through the registry, as `--benchmark table:PATH`.
        #expect(try BenchmarkTables.make("table:" + path, space: try space()).score(best) == e.metric)
        #expect(BenchmarkTables.absolute("table:rel/t.jsonl").hasPrefix("table:/"))
        #expect(BenchmarkTables.absolute("synthetic:3") == "synthetic:3")
    }

    @Test func theEvaluatorReportsTheCurveAndPassesTestOn() throws {
        let table = try TableBenchmark.load(path: try write(Self.full), space: try space())
        let evaluator = BenchmarkEvaluator(table: table, epochs: 5)
        let arch = Architecture(["act": .candidate("tanh"), "width": .value(.int(8))])
        var seen: [Double] = []
        let m = try evaluator.evaluate(TrialSubject(space: try Fixtures.space(), architecture: arch, subnet: try Fixtures.space(), trialID: 1)) { seen.append($1) }
        #expect(seen == [0.1, 0.58] && m.final == 0.58 && m.intermediate == seen && m.test == 0.57)
    }

    @Test func badTablesAreOneLocatedError() throws {
        var full = Self.full
        #expect(try error(["{not json"] + full).hasPrefix("TABLE:1:1: error: not JSON: {not json"))
        full[2] = Self.line("relu", 16, metric: "NaN")
        #expect(try error(full) == "TABLE:3:1: error: 'metric' is not a finite number")
        full = Self.full
        full[1] = Self.line("gelu", 8, metric: "0.5")
        let outside = try error(full)
        #expect(outside.hasPrefix("TABLE:2:1: error: architecture outside the space: ") && outside.contains("gelu"), "\(outside)")
        full = Self.full
        full[4] = #"{"arch": {"act": "tanh", "width": 8, "depth": 2}, "metric": 0.5}"#
        #expect(try error(full).contains("TABLE:5:1: error: architecture outside the space: architecture has unknown label 'depth'"))
        full = Self.full
        #expect(try error(full + [Self.line("relu", 4, metric: "0.9")]) == "TABLE:7:1: error: duplicate architecture (first on line 1)")
        let missing = try error(Array(full.dropLast(2)))
        #expect(missing.hasPrefix("TABLE:4:1: error: 2 of the space's 6 architectures are missing from the table: "), "\(missing)")
        #expect(missing.contains(#""act": "tanh""#) && missing.contains(#""width": 16"#))
        full[0] = #"{"arch": {"act": "relu", "width": 4}}"#
        #expect(try error(full) == "TABLE:1:1: error: no 'metric'")
        full = Self.full
        full[0] = Self.line("relu", 4, metric: "\"high\"")
        #expect(try error(full) == "TABLE:1:1: error: 'metric' must be a number")
        full[0] = Self.line("relu", 4, metric: "0.5", extra: #", "metirc": 1"#)
        #expect(try error(full).contains("TABLE:1:1: error: unknown key 'metirc'"))
        full[0] = Self.line("relu", 4, metric: "0.5", extra: #", "params": -3"#)
        #expect(try error(full).contains("'params' must be a non-negative integer"))
        #expect(try error(["[1, 2]"]).contains("TABLE:1:1: error: a table line must be a JSON object"))
    }

    @Test func unreadableFileAndBadSpecAreErrors() throws {
        #expect(throws: DiagnosticError.self) { _ = try TableBenchmark.load(path: "/nonexistent/t.jsonl", space: try space()) }
        for bad in ["table:", "tabel:x", "synthetic:x"] {
            #expect(throws: DiagnosticError.self) { _ = try BenchmarkTables.spec(bad) }
        }
    }
}
