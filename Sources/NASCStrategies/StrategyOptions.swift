// StrategyOptions: typed reading of `key=value` strategy options, with diagnostics for unknown keys and bad values.
import NASCIR

/// The `options` given to ``Strategies/make(name:space:seed:options:)``, read one key at a time.
/// Every key must be consumed: ``finish()`` reports the ones the strategy does not know.
struct StrategyOptions {
    let strategy: String
    private var remaining: [String: String]
    private var known: [String] = []

    init(strategy: String, _ options: [String: String]) {
        self.strategy = strategy
        self.remaining = options
    }

    /// An integer option in `range`, or `fallback` when absent.
    mutating func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = take(key) else { return fallback }
        guard let v = Int(text.trimmingWhitespace) else { throw bad(key, text, "an integer") }
        guard range.contains(v) else { throw bad(key, text, "an integer in \(describe(range))") }
        return v
    }

    /// A finite real option in `range`, or `fallback` when absent.
    mutating func double(_ key: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let text = take(key) else { return fallback }
        guard let v = Double(text.trimmingWhitespace), v.isFinite else { throw bad(key, text, "a number") }
        guard range.contains(v) else { throw bad(key, text, "a number in [\(range.lowerBound), \(range.upperBound)]") }
        return v
    }

    /// A boolean option (`true`/`false`, `yes`/`no`, `1`/`0`, `on`/`off`), or `fallback` when absent.
    mutating func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let text = take(key) else { return fallback }
        switch text.trimmingWhitespace.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw bad(key, text, "true or false")
        }
    }

    /// One of `choices`, or `fallback` when absent.
    mutating func choice(_ key: String, default fallback: String, among choices: [String]) throws -> String {
        guard let text = take(key) else { return fallback }
        let v = text.trimmingWhitespace.lowercased()
        guard choices.contains(v) else { throw bad(key, text, "one of \(choices.joined(separator: ", "))") }
        return v
    }

    /// Throws if an option was given that the strategy does not have.
    func finish() throws {
        let unknown = remaining.keys.sorted()
        guard !unknown.isEmpty else { return }
        let list = known.isEmpty ? "it takes no options" : "its options are \(known.joined(separator: ", "))"
        throw DiagnosticError(unknown.map { key in
            .error("strategy '\(strategy)' has no option '\(key)'; \(list)",
                   hint: Strategies.closest(to: key, in: known).map { "did you mean '\($0)'?" })
        })
    }

    private mutating func take(_ key: String) -> String? {
        known.append(key)
        return remaining.removeValue(forKey: key)
    }

    private func bad(_ key: String, _ text: String, _ expected: String) -> DiagnosticError {
        DiagnosticError(.error("option '\(key)' of strategy '\(strategy)' must be \(expected), got '\(text)'"))
    }

    private func describe(_ r: ClosedRange<Int>) -> String {
        r.upperBound == Int.max ? "\(r.lowerBound) or more" : "[\(r.lowerBound), \(r.upperBound)]"
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
