// FlagCheck: the one place that checks numeric flags, so every verb rejects negative, zero, NaN and infinite values
// the same way, naming the flag (`--lr: must be a finite number greater than 0, got nan`), as a usage error (exit 2).
import ArgumentParser

/// What a numeric flag accepts.
enum FlagRange {
    /// `> 0` (and finite).
    case positive
    /// `>= 0` (and finite).
    case nonNegative
    /// `[0, 1)`: fractions such as validation splits and label smoothing.
    case fraction
    /// An integer in `lower...upper`.
    case between(Int, Int)

    func problem(_ v: Double) -> String? {
        guard v.isFinite else { return "must be a finite number, got \(v)" }
        switch self {
        case .positive: return v > 0 ? nil : "must be greater than 0, got \(v)"
        case .nonNegative: return v >= 0 ? nil : "must not be negative, got \(v)"
        case .fraction: return v >= 0 && v < 1 ? nil : "must be in [0, 1), got \(v)"
        case .between(let lo, let hi): return v >= Double(lo) && v <= Double(hi) ? nil : "must be between \(lo) and \(hi), got \(v)"
        }
    }

    func problem(_ v: Int) -> String? {
        switch self {
        case .positive: return v > 0 ? nil : "must be at least 1, got \(v)"
        case .nonNegative: return v >= 0 ? nil : "must not be negative, got \(v)"
        case .fraction: return "must be a fraction"
        case .between(let lo, let hi): return v >= lo && v <= hi ? nil : "must be between \(lo) and \(hi), got \(v)"
        }
    }
}

/// Throws a usage error `NAME: error: problem` (NAME is the flag as spelled, `--lr`) when a given (non-nil) floating-point flag is outside `range`.
func checkFlag(_ name: String, _ value: Double?, _ range: FlagRange) throws {
    if let v = value, let p = range.problem(v) { throw ValidationError("\(name): error: \(p)") }
}

/// Throws a usage error `NAME: error: problem` (NAME is the flag as spelled, `--lr`) when a given (non-nil) integer flag is outside `range`.
func checkFlag(_ name: String, _ value: Int?, _ range: FlagRange) throws {
    if let v = value, let p = range.problem(v) { throw ValidationError("\(name): error: \(p)") }
}

/// The most OpenBLAS threads a flag may ask for.
let maxThreads = 256
