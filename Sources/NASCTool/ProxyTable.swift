// ProxyTable: zero-cost proxies of many architectures of a space (`nasc inspect --proxies`, the `zero-cost` strategy
// and proxy warm starts): which architectures, their scores, text and JSON lines, and a ranking by one proxy.
import BigInt
import Foundation
import NASCIR
import NASCStrategies

/// Zero-cost proxies of a set of architectures.
public struct ProxyTable {
    /// One architecture's scores.
    public struct Row {
        public var architecture: Architecture
        public var scores: [ZeroCostProxy: Double]
    }

    /// The proxies computed, in column order.
    public var proxies: [ZeroCostProxy]
    /// One row per architecture, in the order they were chosen.
    public var rows: [Row]

    /// The architectures to score: every one of the space when `samples` is nil and the space has at most `limit`;
    /// otherwise `samples` (default 256) distinct architectures drawn with `seed` (all of them when the space is smaller).
    public static func architectures(_ space: SearchSpace, samples: Int?, limit: Int = 4096, seed: UInt64) -> [Architecture] {
        if samples == nil && space.size <= BigInt(limit) { return Array(space.allArchitectures()) }
        let n = samples ?? 256
        if space.size <= BigInt(n) { return Array(space.allArchitectures()) }
        var rng = SplitMix64(seed: seed)
        var seen = Set<Architecture>(), out: [Architecture] = []
        var attempts = 0
        while out.count < n && attempts < 100 * n {
            attempts += 1
            let a = space.randomArchitecture(using: &rng)
            if seen.insert(a).inserted { out.append(a) }
        }
        return out
    }

    /// Scores `architectures` of `space` with `scorer`.
    public static func compute(_ space: ModelSpace, _ architectures: [Architecture], proxies: [ZeroCostProxy],
                               scorer: ZeroCostScorer) throws -> ProxyTable {
        var rows: [Row] = []
        rows.reserveCapacity(architectures.count)
        for a in architectures { rows.append(Row(architecture: a, scores: try scorer.scores(space, a, proxies: proxies))) }
        return ProxyTable(proxies: proxies, rows: rows)
    }

    /// The architectures by decreasing `proxy` (NaN last; ties keep the sampling order).
    public func ranked(by proxy: ZeroCostProxy) -> [Architecture] {
        let keyed = rows.enumerated().map { (i, r) -> (Int, Double) in (i, r.scores[proxy] ?? .nan) }
        return keyed.sorted { a, b in
            switch (a.1.isNaN, b.1.isNaN) {
            case (false, false): return a.1 != b.1 ? a.1 > b.1 : a.0 < b.0
            case (false, true): return true
            case (true, false): return false
            case (true, true): return a.0 < b.0
            }
        }.map { rows[$0.0].architecture }
    }

    /// One JSON object per line: `{"arch": {...}, "synflow": ..., ...}` (a NaN or infinite score is `null`).
    public func jsonLines(_ space: SearchSpace) throws -> String {
        var out = ""
        for r in rows {
            var line = "{\"arch\": " + (try ArchitectureJSON.write(r.architecture, space: space, compact: true))
            for p in proxies { line += ", \"\(p.rawValue)\": " + Self.number(r.scores[p]) }
            out += line + "}\n"
        }
        return out
    }

    /// A text table: the proxies, then the architecture.
    public func text(_ space: SearchSpace) throws -> String {
        var out = proxies.map { $0.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined(separator: " ") + " architecture\n"
        for r in rows {
            let cells = proxies.map { p -> String in
                let v = r.scores[p] ?? .nan
                let s = p == .params || p == .flops ? (v.isFinite ? String(Int(v)) : "nan") : String(format: "%.5g", v)
                return s.padding(toLength: 12, withPad: " ", startingAt: 0)
            }
            out += cells.joined(separator: " ") + " " + (try ArchitectureJSON.write(r.architecture, space: space, compact: true)) + "\n"
        }
        return out
    }

    static func number(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "null" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }
}

extension ProxyTable {
    /// The proxy ranking `Strategies.make` needs for `strategy` with `options`, or nil when it needs none: `zero-cost`
    /// ranks `samples` architectures (option, default 1000; all of a smaller space) by `proxy` (default synflow);
    /// `tpe` and `evolution` with `warmup=PROXY` rank 1000 by that proxy. The batch comes from `data`; `seed` seeds the
    /// sample, the batch and the initialization. Bad options are left to `Strategies.make`, which names them.
    public static func ranking(strategy: String, options: [String: String], space: ModelSpace, data: String,
                               seed: UInt64) throws -> [Architecture]? {
        let proxyName: String, samples: Int, batch: Int
        if strategy == "zero-cost" {
            guard let c = try? ZeroCostSearch.Config(options: options) else { return nil }
            (proxyName, samples, batch) = (c.proxy, c.samples, c.batchSize)
        } else if ["tpe", "evolution"].contains(strategy), let w = options["warmup"] {
            (proxyName, samples, batch) = (w, 1000, 64)
        } else {
            return nil
        }
        guard let proxy = ZeroCostProxy(rawValue: proxyName) else { return nil }
        let searchSpace = try SearchSpace(space)
        let archs = architectures(searchSpace, samples: samples, seed: seed)
        let scorer = try ZeroCostScorer(data: data, batchSize: batch, seed: seed)
        return try compute(space, archs, proxies: [proxy], scorer: scorer).ranked(by: proxy)
    }
}
