// OpCatalog: the base ops the language knows, read from the op table, plus language-level attribute aliases.
import NASCIR
import NASCPasses

/// The language's view of one IR op kind (from its ``OpDefinition``'s language form).
struct OpSpec: Sendable {
    var kind: OpKind
    var attributes: [AttrSpec]
    /// Attribute names that positional number arguments fill, in order (`conv2d(x, 32, 3)`).
    var positional: [String]
    var summary: String

    func attribute(_ name: String) -> AttrSpec? { attributes.first { $0.name == name } }
}

/// The base ops the language knows: every op-table entry with a language form.
enum OpCatalog {
    /// Every op by its canonical language name (the IR's text name).
    static let specs: [String: OpSpec] = {
        var t: [String: OpSpec] = [:]
        for d in OpTable.all {
            guard let l = d.language else { continue }
            t[d.kind.rawValue] = OpSpec(kind: d.kind, attributes: l.attributes, positional: l.positional, summary: l.summary)
        }
        return t
    }()

    /// Alternative spellings, PyTorch-flavoured.
    static let aliases: [String: String] = {
        var t: [String: String] = [:]
        for d in OpTable.all { for a in d.language?.aliases ?? [] { t[a] = d.kind.rawValue } }
        return t
    }()

    /// Attribute spellings accepted for PyTorch users.
    static let attributeAliases: [String: String] = [
        "out_channels": "out", "in_channels": "in", "out_features": "out", "in_features": "in", "kernel_size": "kernel",
    ]

    /// Sequence ops the language reserves for a later version.
    static let reserved: Set<String> = ["rnn", "rnn_cell", "lstm_cell", "gru_cell",
                                        "attention", "transformer"]

    /// The spec for a name or alias.
    static func lookup(_ name: String) -> OpSpec? { specs[aliases[name] ?? name] }

    /// Every name the language accepts for an op, sorted (for suggestions).
    static var allNames: [String] { (Array(specs.keys) + Array(aliases.keys)).sorted() }
}

/// Edit distance for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    for i in 1...x.count {
        var cur = [i] + Array(repeating: 0, count: y.count)
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[y.count]
}

/// The closest candidate within a small distance, for "did you mean 'x'?" hints.
func closest(_ name: String, among names: [String]) -> String? {
    let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= max(1, name.count / 3) && $0.1 < name.count && $0.0 != name }
    return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
}
