// ProxylessLatency: per-candidate latency tables for the Proxyless latency penalty — measured on this machine's
// executor (per-step timing of the proxyless supernet) or read from a JSON file — and the penalty's gradient.
import Foundation
import NASCIR
import NASCPasses
import NASCRuntime

/// Milliseconds per choice candidate, the lookup table of the ProxylessNAS latency loss.
///
/// JSON form (read by ``parse(_:file:candidates:)``, written by ``json(candidates:)``):
/// `{"<label>": {"<candidate>": ms, ...}, ...}` with every label the proxyless supernet gates and every candidate
/// of each label. Candidates are named as in the space: layer choices and cell edges (`<cell>/<i>_<j>`) by
/// candidate name, input choices by input index (`"0"`, `"1"`, ...), repeats by depth. Only differences inside a
/// label move the architecture (the penalty's gradient is `p_k (t_k - E[t])`), so a table may hold either each
/// candidate's own latency or the latency of a whole subnet that takes it.
public struct ProxylessLatencyTable: Sendable, Equatable {
    /// Per label, one value (ms) per candidate in candidate order.
    public var milliseconds: [String: [Double]]

    /// A table from values by label.
    public init(_ milliseconds: [String: [Double]]) { self.milliseconds = milliseconds }

    /// Expected latency (ms) of the gated candidates under `probabilities`: `sum_l sum_k p_lk t_lk`.
    public func expected(_ probabilities: [String: [Double]]) -> Double {
        milliseconds.reduce(0) { acc, e in
            guard let p = probabilities[e.key] else { return acc }
            return acc + zip(p, e.value).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The expected latency under uniform probabilities (the start of a search, alpha near 0): the penalty's
    /// reference latency unless the user gives one.
    public var uniformExpected: Double {
        milliseconds.values.reduce(0) { $0 + ($1.isEmpty ? 0 : $1.reduce(0, +) / Double($1.count)) }
    }

    /// Parses the JSON form; `candidates` lists each gated label's candidate names. Throws a one-line
    /// ``DiagnosticError`` located at `file` naming the offending key for malformed JSON, unknown or missing labels
    /// and candidates, and values that are not finite non-negative numbers.
    public static func parse(_ text: String, file: String, candidates: [String: [String]]) throws -> ProxylessLatencyTable {
        func fail(_ message: String) -> DiagnosticError { DiagnosticError(.error(message, at: SourceLocation(file: file))) }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw fail("latency table is not valid JSON")
        }
        guard let top = object as? [String: Any] else {
            throw fail("latency table must be a JSON object {\"label\": {\"candidate\": ms}}")
        }
        for key in top.keys.sorted() where candidates[key] == nil {
            throw fail("latency table: unknown label '\(key)' (expected \(candidates.keys.sorted().joined(separator: ", ")))")
        }
        var out: [String: [Double]] = [:]
        for (label, names) in candidates.sorted(by: { $0.key < $1.key }) {
            guard let entry = top[label] else { throw fail("latency table: missing label '\(label)'") }
            guard let dict = entry as? [String: Any] else {
                throw fail("latency table: '\(label)' must be an object {\"candidate\": ms}")
            }
            for key in dict.keys.sorted() where !names.contains(key) {
                throw fail("latency table: unknown candidate '\(key)' of '\(label)' (expected \(names.joined(separator: ", ")))")
            }
            out[label] = try names.map { name in
                guard let v = dict[name] else { throw fail("latency table: missing candidate '\(name)' of '\(label)'") }
                // JSON booleans are NSNumbers too; their objCType is "c" (numbers parse as "i", "q" or "d").
                guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite, n.doubleValue >= 0 else {
                    throw fail("latency table: '\(label)'/'\(name)' must be a non-negative number of milliseconds")
                }
                return n.doubleValue
            }
        }
        return ProxylessLatencyTable(out)
    }

    /// Reads and parses a JSON table file (see ``parse(_:file:candidates:)``).
    public static func read(file: String, candidates: [String: [String]]) throws -> ProxylessLatencyTable {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticError(.error("cannot read the latency table", at: SourceLocation(file: file)))
        }
        return try parse(text, file: file, candidates: candidates)
    }

    /// The JSON form, labels and keys sorted, candidates named by `candidates` (index strings where missing).
    public func json(candidates: [String: [String]]) -> String {
        var lines: [String] = []
        for (label, values) in milliseconds.sorted(by: { $0.key < $1.key }) {
            let names = candidates[label] ?? values.indices.map(String.init)
            let inner = zip(names, values).map { "\(JSONValue.quote($0)): \(String(format: "%.6f", $1))" }.joined(separator: ", ")
            lines.append("  \(JSONValue.quote(label)): {\(inner)}")
        }
        return "{\n" + lines.joined(separator: ",\n") + "\n}\n"
    }

    /// Measures a table on `executor`, a proxyless supernet plan (every candidate runs in its forward pass; the
    /// gates only weight them): runs `runs` eval-mode forward passes of `data` (`batch` samples) with per-step
    /// timing (``Executor/timeSteps(data:labels:batch:)``), after one warm-up pass, and gives candidate `k` of a
    /// label the median over the runs of the summed time of the steps lowered from its nodes: `<node>.<k>.…` for the
    /// `weighted_sum` node `<node>` the label gates (layer choices, cell edges), and for repeats every block
    /// `<node>.from<j>.…` with `j <= k` (depth `k` runs blocks up to it). Input-choice candidates are existing values
    /// and cost nothing (0 ms).
    public static func measure(_ executor: Executor, data: [Float], batch: Int, runs: Int = 5) throws -> ProxylessLatencyTable {
        // The weighted_sum forward step each gate label feeds, and its candidate count.
        var nodes: [String: (label: String, count: Int)] = [:]
        for step in executor.plan.steps {
            guard case .weightedSumForward(let w) = step.kernel,
                  let c = executor.plan.slots[w.weights].control, c.kind == .gate else { continue }
            let label = c.label
            nodes[step.node] = (label, w.inputs.count)
        }
        var samples: [String: [[Double]]] = [:]
        for (_, v) in nodes where samples[v.label] == nil { samples[v.label] = [] }
        for run in 0...max(runs, 1) {
            let timings = try data.withUnsafeBufferPointer { try executor.timeSteps(data: $0, labels: nil, batch: batch) }
            if run == 0 { continue } // warm-up
            var sums: [String: [Double]] = [:]
            for (_, v) in nodes { sums[v.label] = sums[v.label] ?? [Double](repeating: 0, count: v.count) }
            for t in timings {
                let name = executor.plan.steps[t.index].node
                guard let (node, rest) = owner(of: name, in: nodes), let info = nodes[node] else { continue }
                if let k = Int(rest.prefix { $0.isNumber }), k < info.count {
                    sums[info.label]?[k] += t.seconds * 1e3
                } else if rest.hasPrefix("from"), let j = Int(rest.dropFirst(4).prefix { $0.isNumber }) {
                    for k in j..<info.count { sums[info.label]?[k] += t.seconds * 1e3 }
                }
            }
            for (l, s) in sums { samples[l]?.append(s) }
        }
        var table: [String: [Double]] = [:]
        for (l, runs) in samples {
            guard let n = runs.first?.count else { continue }
            table[l] = (0..<n).map { k in median(runs.map { $0[k] }) }
        }
        return ProxylessLatencyTable(table)
    }

    /// The gated node a step's node name belongs to (`<node>.<rest>`), and the rest.
    static func owner(of name: String, in nodes: [String: (label: String, count: Int)]) -> (String, Substring)? {
        var best: String?
        for node in nodes.keys where name.hasPrefix(node + ".") && node.count > (best?.count ?? -1) { best = node }
        guard let b = best else { return nil }
        return (b, name.dropFirst(b.count + 1))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// The expected-cost penalty shared by the FLOPs and latency terms of ``ProxylessSearch``.
public enum ProxylessPenalty {
    /// Gradient of `scale * sum_k p_k c_k` with respect to the logits `alpha` of `p = softmax(alpha)`:
    /// `scale * p_i (c_i - sum_k p_k c_k)`.
    public static func gradient(probabilities p: [Double], costs c: [Double], scale: Double) -> [Float] {
        let mean = zip(p, c).reduce(0) { $0 + $1.0 * $1.1 }
        return zip(p, c).map { Float(scale * $0 * ($1 - mean)) }
    }

    /// The candidate names of each gated label of a proxyless search (the keys of a latency table): layer-choice
    /// candidates, input indices, repeat depths, value-choice values, or a relaxed cell's op names for its edge
    /// labels `<cell>/<i>_<j>`.
    public static func candidateNames(space: ModelSpace, searchSpace: SearchSpace, labels: [String: Int]) -> [String: [String]] {
        var cells: [String: [String]] = [:]
        for name in space.reachableGraphs {
            for n in space.graph(named: name)?.nodes ?? [] {
                if case .cell(let c) = n.op { cells[c.label] = c.candidates.map(\.name) }
            }
        }
        var out: [String: [String]] = [:]
        for (label, count) in labels {
            var names: [String]
            switch searchSpace.decision(label)?.kind {
            case .layerChoice(let n)?: names = n
            case .inputChoice?: names = (0..<count).map(String.init)
            case .repeatDepth(let ds)?: names = ds.map(String.init)
            case .valueChoice(let vs)?: names = vs.map(\.description)
            case nil:
                let cell = label.split(separator: "/").dropLast().joined(separator: "/")
                names = cells[cell] ?? (0..<count).map(String.init)
            }
            if names.count != count { names = (0..<count).map(String.init) }
            out[label] = names
        }
        return out
    }
}
