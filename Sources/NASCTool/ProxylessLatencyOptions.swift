// ProxylessLatencyOptions: the `--strategy-option` keys of the Proxyless latency penalty (latency_penalty,
// latency_table, latency_ref, latency_runs).
import NASCIR
import NASCStrategies

/// Reads the latency-penalty options into a ``ProxylessConfig``.
enum ProxylessLatencyOptions {
    /// Sets `latencyPenalty`, `latencyReference` and `latencyRuns`; returns the table file to read (nil: measure
    /// on this machine, or no latency penalty). `latency_table=measure` (the default) measures; any other value is a
    /// JSON file. A table, a reference or a run count without `latency_penalty` is an error (it would do nothing).
    static func configure(_ c: inout ProxylessConfig, _ opts: inout OneShotOptions) throws -> String? {
        c.latencyPenalty = try opts.double("latency_penalty") ?? 0
        let table = opts.string("latency_table")
        let reference = try opts.double("latency_ref")
        let runs = try opts.int("latency_runs")
        if c.latencyPenalty == 0 {
            for (key, set) in [("latency_table", table != nil), ("latency_ref", reference != nil), ("latency_runs", runs != nil)] where set {
                throw opts.error("\(key) needs latency_penalty > 0")
            }
            return nil
        }
        if let r = reference {
            guard r > 0 else { throw opts.error("latency_ref must be positive (milliseconds), got '\(r)'") }
            c.latencyReference = r
        }
        if let n = runs {
            guard n > 0 else { throw opts.error("latency_runs must be at least 1, got '\(n)'") }
            c.latencyRuns = n
        }
        guard let t = table, t != "measure" else { return nil }
        guard !t.isEmpty else { throw opts.error("latency_table must be measure or a JSON file") }
        return t
    }
}
