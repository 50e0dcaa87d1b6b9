// StrategyState: the JSON snapshot format shared by all strategies (header checks, ledger, BigInt and RNG forms).
import BigInt
import Foundation
import NASCIR

/// The JSON document `saveState()` writes: a header that identifies the strategy, its configuration, seed and
/// space, and the strategy's own payload. `restore(state:)` refuses a snapshot whose header does not match.
struct StateEnvelope<Config: Codable & Equatable, Payload: Codable>: Codable {
    var format: String
    var version: Int
    var strategy: String
    var seed: String
    var spaceSize: String
    var spaceLabels: [String]
    var config: Config
    var payload: Payload
}

/// Only the header, decoded first so that a mismatch gets a precise message.
private struct StateHeader: Codable {
    var format: String
    var version: Int
    var strategy: String
    var seed: String
    var spaceSize: String
    var spaceLabels: [String]
}

/// Saving and loading strategy snapshots.
enum StrategyState {
    static let format = "nasc-strategy-state"
    static let version = 1

    static func encode<Config: Codable & Equatable, Payload: Codable>(
        strategy: String, seed: UInt64, space: SearchSpace, config: Config, payload: Payload
    ) throws -> [UInt8] {
        let envelope = StateEnvelope(format: format, version: version, strategy: strategy, seed: String(seed),
                                     spaceSize: String(space.size), spaceLabels: space.labels,
                                     config: config, payload: payload)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(envelope))
    }

    static func decode<Config: Codable & Equatable, Payload: Codable>(
        _ bytes: [UInt8], strategy: String, seed: UInt64, space: SearchSpace, config: Config,
        as: Payload.Type
    ) throws -> Payload {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = Data(bytes)
        let header: StateHeader
        do { header = try decoder.decode(StateHeader.self, from: data) } catch {
            throw failure(strategy, "it is not a strategy state (\(describe(error)))")
        }
        guard header.format == format else { throw failure(strategy, "its format is '\(header.format)', expected '\(format)'") }
        guard header.version == version else {
            throw failure(strategy, "it has version \(header.version); this nasc reads version \(version)")
        }
        guard header.strategy == strategy else {
            throw failure(strategy, "it was saved by strategy '\(header.strategy)'")
        }
        guard header.seed == String(seed) else {
            throw failure(strategy, "it was saved with seed \(header.seed), this strategy has seed \(seed)")
        }
        guard header.spaceSize == String(space.size), header.spaceLabels == space.labels else {
            throw failure(strategy, "it was saved for a different search space (\(header.spaceLabels.count) decisions, "
                + "\(header.spaceSize) architectures; this one has \(space.labels.count) and \(space.size))")
        }
        let envelope: StateEnvelope<Config, Payload>
        do { envelope = try decoder.decode(StateEnvelope<Config, Payload>.self, from: data) } catch {
            throw failure(strategy, "it is malformed (\(describe(error)))")
        }
        guard envelope.config == config else {
            throw failure(strategy, "it was saved with a different configuration")
        }
        return envelope.payload
    }

    static func failure(_ strategy: String, _ why: String) -> DiagnosticError {
        DiagnosticError(.error("cannot restore strategy '\(strategy)' from this state: \(why)"))
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let ctx):
            return "missing '\(path(ctx.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong type at '\(path(ctx.codingPath))'"
        case DecodingError.dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(path(ctx.codingPath))'"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Parses a saved BigInt (a decimal string); throws if it is not one or is outside `0..<size`.
    static func index(_ s: String, size: BigInt, strategy: String) throws -> BigInt {
        guard let i = BigInt(s, radix: 10), i >= 0, i < size else {
            throw failure(strategy, "'\(s)' is not an architecture index of this space")
        }
        return i
    }

    /// Parses a saved `UInt64` (a decimal string, since JSON numbers lose precision above 2^53).
    static func uint64(_ s: String, strategy: String) throws -> UInt64 {
        guard let v = UInt64(s) else { throw failure(strategy, "'\(s)' is not a 64-bit random state") }
        return v
    }
}

/// A told outcome in saved form.
struct SavedRecord: Codable, Equatable {
    var index: String
    var metric: Double?
    var failure: String?
}

/// A ``TrialLedger`` in saved form.
struct SavedLedger: Codable, Equatable {
    var pending: [String]
    var history: [SavedRecord]

    init(_ ledger: TrialLedger) {
        pending = ledger.pending.map { String($0) }
        history = ledger.history.map { r in
            switch r.outcome {
            case .succeeded(let m): return SavedRecord(index: String(r.index), metric: m, failure: nil)
            case .failed(let why): return SavedRecord(index: String(r.index), metric: nil, failure: why)
            }
        }
    }

    func ledger(size: BigInt, strategy: String) throws -> TrialLedger {
        let p = try pending.map { try StrategyState.index($0, size: size, strategy: strategy) }
        let h = try history.map { r -> TrialRecord in
            let i = try StrategyState.index(r.index, size: size, strategy: strategy)
            switch (r.metric, r.failure) {
            case (let m?, nil): return TrialRecord(index: i, outcome: .succeeded(metric: m))
            case (nil, let why?): return TrialRecord(index: i, outcome: .failed(reason: why))
            default: throw StrategyState.failure(strategy, "a history record needs exactly one of 'metric' and 'failure'")
            }
        }
        return TrialLedger(pending: p, history: h)
    }
}
