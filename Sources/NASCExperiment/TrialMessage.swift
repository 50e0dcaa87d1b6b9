// TrialMessage: the JSON lines a trial process prints on stdout, and their parser.
import Foundation

/// One line of a trial process's standard output. Lines are single JSON objects with a `type`:
///
/// ```
/// {"type":"overhead","started_at":1763800000.12,"load_ms":3.1,"specialize_ms":0.8,"compile_ms":2.4,"params":1234,"flops":5678}
/// {"type":"intermediate","epoch":1,"metric":0.91}
/// {"type":"final","metric":0.97,"params":1234,"flops":5678,"loss":0.11}
/// {"type":"error","kind":"diverged","message":"loss is NaN at epoch 2"}
/// ```
///
/// A trial succeeds by printing `final` and exiting 0; it fails by printing `error` and exiting non-zero.
/// Metrics are finite numbers (JSON has no NaN): divergence is reported as an `error` line.
public enum TrialMessage: Sendable, Equatable {
    /// Measured fixed costs; `startedAt` is when the trial command began (seconds since 1970).
    case overhead(startedAt: Double, loadMs: Double, specializeMs: Double, compileMs: Double, params: Int?, flops: Int?)
    /// A metric after an epoch (1-based).
    case intermediate(epoch: Int, metric: Double)
    /// The final metric, the subnet's size and, when known, the final validation loss (`loss`).
    /// `test` is a benchmark table's held-out metric, recorded but never told to the strategy.
    case final(metric: Double, params: Int?, flops: Int?, loss: Double? = nil, test: Double? = nil)
    /// Why the trial failed; `kind` is a short tag (`diverged`, `budget`, `input`, `evaluator`).
    case error(kind: String, message: String)

    struct Wire: Codable {
        var type: String
        var epoch: Int?
        var metric: Double?
        var params: Int?
        var flops: Int?
        var kind: String?
        var message: String?
        var loss: Double?
        var test: Double?
        var started_at: Double?
        var load_ms: Double?
        var specialize_ms: Double?
        var compile_ms: Double?
    }

    /// The line (without newline).
    public var line: String {
        var w = Wire(type: "")
        switch self {
        case .overhead(let s, let l, let sp, let c, let p, let f):
            w.type = "overhead"; w.started_at = s; w.load_ms = l; w.specialize_ms = sp; w.compile_ms = c; w.params = p; w.flops = f
        case .intermediate(let e, let m): w.type = "intermediate"; w.epoch = e; w.metric = m
        case .final(let m, let p, let f, let l, let t): w.type = "final"; w.metric = m; w.params = p; w.flops = f; w.loss = l; w.test = t
        case .error(let k, let m): w.type = "error"; w.kind = k; w.message = m
        }
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(w)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"type":"error","message":"unencodable message"}"#
    }

    /// Why a line is not a valid message.
    public struct Malformed: Error, Sendable, Equatable {
        public var reason: String
    }

    /// Parses one line. Throws ``Malformed`` for anything but a well-formed message with finite metrics.
    public static func parse(_ line: String) throws -> TrialMessage {
        let w: Wire
        do {
            w = try JSONDecoder().decode(Wire.self, from: Data(line.utf8))
        } catch {
            throw Malformed(reason: "not a JSON trial message: \(preview(line))")
        }
        func need<T>(_ v: T?, _ field: String) throws -> T {
            guard let v else { throw Malformed(reason: "'\(w.type)' message without '\(field)': \(preview(line))") }
            return v
        }
        func finite(_ m: Double) throws -> Double {
            guard m.isFinite else { throw Malformed(reason: "metric is not finite: \(preview(line))") }
            return m
        }
        switch w.type {
        case "overhead":
            return .overhead(startedAt: try need(w.started_at, "started_at"), loadMs: w.load_ms ?? 0,
                             specializeMs: w.specialize_ms ?? 0, compileMs: w.compile_ms ?? 0, params: w.params, flops: w.flops)
        case "intermediate":
            let e = try need(w.epoch, "epoch")
            guard e >= 0 else { throw Malformed(reason: "negative epoch: \(preview(line))") }
            return .intermediate(epoch: e, metric: try finite(try need(w.metric, "metric")))
        case "final":
            return .final(metric: try finite(try need(w.metric, "metric")), params: w.params, flops: w.flops,
                          loss: try w.loss.map(finite), test: try w.test.map(finite))
        case "error":
            return .error(kind: w.kind ?? "error", message: w.message ?? "trial reported an error")
        default:
            throw Malformed(reason: "unknown message type '\(w.type)': \(preview(line))")
        }
    }

    /// At most 120 characters of a line, for messages.
    static func preview(_ line: String) -> String {
        let one = line.replacingOccurrences(of: "\n", with: " ")
        return one.count > 120 ? String(one.prefix(117)) + "..." : one
    }
}
