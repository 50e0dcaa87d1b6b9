// BenchmarkTables: the benchmark tables `--benchmark` names: `synthetic:SEED` (the strategies' SyntheticLandscape) or `table:PATH`.
import Foundation
import NASCIR
import NASCStrategies

/// The registry of benchmark tables.
public enum BenchmarkTables {
    /// Known table kinds.
    public static let names = ["synthetic", "table"]

    /// A parsed `--benchmark` value.
    public enum Spec: Sendable, Equatable {
        /// `synthetic:SEED`: a ``SyntheticLandscape`` with this seed.
        case synthetic(seed: UInt64)
        /// `table:PATH`: a JSON-lines ``TableBenchmark``.
        case table(path: String)
    }

    /// Parses `synthetic:SEED` or `table:PATH`; a bad spec is an error located at the flag.
    public static func spec(_ text: String) throws -> Spec {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, parts[0] == "synthetic", let seed = UInt64(parts[1]) { return .synthetic(seed: seed) }
        if parts.count == 2, parts[0] == "table", !parts[1].isEmpty { return .table(path: parts[1]) }
        throw DiagnosticError(.error("bad benchmark '\(text)': expected synthetic:SEED (SEED a non-negative integer) or table:PATH (a JSON-lines table)",
                                     at: SourceLocation(file: "--benchmark")))
    }

    /// The spec with a table's path made absolute (trial processes may run elsewhere).
    public static func absolute(_ text: String) -> String {
        guard case .table(let path)? = try? spec(text), !path.hasPrefix("/") else { return text }
        return "table:" + URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The table `text` names, over `space`.
    public static func make(_ text: String, space: SearchSpace) throws -> any BenchmarkTable {
        switch try spec(text) {
        case .synthetic(let seed): return SyntheticTable(landscape: try SyntheticLandscape(space: space, seed: seed))
        case .table(let path): return try TableBenchmark.load(path: path, space: space)
        }
    }
}

/// ``SyntheticLandscape`` as a benchmark table: a deterministic score in (0, 1) for every architecture.
public struct SyntheticTable: BenchmarkTable {
    public let landscape: SyntheticLandscape
    /// Wraps a landscape.
    public init(landscape: SyntheticLandscape) { self.landscape = landscape }
    public func score(_ architecture: Architecture) throws -> Double { try landscape.score(architecture) }
}
