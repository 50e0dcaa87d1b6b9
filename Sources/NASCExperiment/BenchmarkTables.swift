// BenchmarkTables: the benchmark tables `--benchmark NAME:SEED` names (today: `synthetic`, the strategies' SyntheticLandscape).
import NASCIR
import NASCStrategies

/// The registry of benchmark tables.
public enum BenchmarkTables {
    /// Known table names.
    public static let names = ["synthetic"]

    /// Splits `NAME:SEED`; a bad spec is an error located at the flag.
    public static func parse(_ spec: String) throws -> (name: String, seed: UInt64) {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, names.contains(parts[0]), let seed = UInt64(parts[1]) else {
            throw DiagnosticError(.error("bad benchmark '\(spec)': expected synthetic:SEED with SEED a non-negative integer",
                                         at: SourceLocation(file: "--benchmark")))
        }
        return (parts[0], seed)
    }

    /// The table `spec` names, over `space`.
    public static func make(_ spec: String, space: SearchSpace) throws -> any BenchmarkTable {
        let (_, seed) = try parse(spec)
        return SyntheticTable(landscape: try SyntheticLandscape(space: space, seed: seed))
    }
}

/// ``SyntheticLandscape`` as a benchmark table: a deterministic score in (0, 1) for every architecture.
public struct SyntheticTable: BenchmarkTable {
    public let landscape: SyntheticLandscape
    /// Wraps a landscape.
    public init(landscape: SyntheticLandscape) { self.landscape = landscape }
    public func score(_ architecture: Architecture) throws -> Double { try landscape.score(architecture) }
}
