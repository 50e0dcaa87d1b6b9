// TextVocabulary: the tokenizer and the word <-> id table that turns raw text into token ids, saved as a text file.
import Foundation
import NASCIR

/// What token samples index: a vocabulary of `size` ids, 0 the padding id, and where the largest id occurs
/// (for the "vocab smaller than the data" diagnostic, which names the data file and line).
public struct TokenSamples: Sendable, Hashable {
    /// Number of ids (`0..<size`); an embedding over this data needs `vocab >= size`.
    public var size: Int
    /// The largest id that occurs in the data.
    public var largestID: Int
    /// Where ``largestID`` first occurs (`file:line`, and column for pre-tokenized files).
    public var largestIDLocation: SourceLocation
    /// The id that pads short sequences (masked by the sequence pools and attention).
    public var paddingID: Int

    /// Creates a description of token samples.
    public init(size: Int, largestID: Int, largestIDLocation: SourceLocation, paddingID: Int = 0) {
        self.size = size
        self.largestID = largestID
        self.largestIDLocation = largestIDLocation
        self.paddingID = paddingID
    }

    /// The largest vocabulary: ids travel through the batch pipeline as `Float` values, which are exact up to 2^24.
    public static let maxVocabulary = 1 << 24
}

/// Splits text into tokens: lowercase, words separated by whitespace, each punctuation or symbol character its own
/// token (`"Don't stop!"` gives `don ' t stop !`), like torchtext's `basic_english` without its rewrites.
public enum TextTokenizer {
    /// The tokens of `text`.
    public static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var word = ""
        for ch in text.lowercased() {
            if ch.isWhitespace {
                if !word.isEmpty { result.append(word); word = "" }
            } else if ch.isPunctuation || ch.isSymbol {
                if !word.isEmpty { result.append(word); word = "" }
                result.append(String(ch))
            } else {
                word.append(ch)
            }
        }
        if !word.isEmpty { result.append(word) }
        return result
    }
}

/// A word <-> id table. Id 0 is the padding token `<pad>`, id 1 the unknown-word token `<unk>`; the words follow by
/// descending count in the training texts (ties in string order), so building is deterministic.
///
/// The file form (``save(to:)``, ``load(path:)``) is one token per line, the line number minus one being its id.
public struct TextVocabulary: Sendable, Hashable {
    /// The tokens in id order (`tokens[0] == "<pad>"`, `tokens[1] == "<unk>"`).
    public let tokens: [String]
    private let ids: [String: Int]

    /// The padding token and id.
    public static let padding = "<pad>", paddingID = 0
    /// The unknown-word token and id.
    public static let unknown = "<unk>", unknownID = 1

    /// Number of ids, the two special tokens included.
    public var count: Int { tokens.count }

    /// The id of `token` (``unknownID`` for a word not in the table).
    public func id(_ token: String) -> Int { ids[token] ?? TextVocabulary.unknownID }

    private init(tokens: [String]) {
        self.tokens = tokens
        var ids: [String: Int] = [:]
        for (i, t) in tokens.enumerated() { ids[t] = i }
        self.ids = ids
    }

    /// Builds the table from tokenized training texts: words seen at least `minCount` times, the `maxSize` most
    /// frequent kept (the two special tokens included in `maxSize`).
    ///
    /// - Throws: ``DiagnosticError`` at `source` when no word is kept (an empty vocabulary), or the limits are invalid.
    public static func build(_ documents: [[String]], minCount: Int, maxSize: Int, source: String) throws -> TextVocabulary {
        let loc = SourceLocation(file: source)
        guard minCount >= 1 else { throw DiagnosticError(.error("min_count must be at least 1, got \(minCount)", at: loc)) }
        guard maxSize >= 3, maxSize <= TokenSamples.maxVocabulary else {
            throw DiagnosticError(.error("max_vocab must be in 3...\(TokenSamples.maxVocabulary) (two ids are <pad> and <unk>), got \(maxSize)", at: loc))
        }
        var counts: [String: Int] = [:]
        for doc in documents { for t in doc { counts[t, default: 0] += 1 } }
        counts[padding] = nil
        counts[unknown] = nil
        let kept = counts.filter { $0.value >= minCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(maxSize - 2).map(\.key)
        guard !kept.isEmpty else {
            let seen = counts.count
            throw DiagnosticError(.error(seen == 0 ? "empty vocabulary: the training texts have no tokens"
                                         : "empty vocabulary: none of the \(seen) distinct tokens occurs \(minCount) times (lower min_count)", at: loc))
        }
        return TextVocabulary(tokens: [padding, unknown] + kept)
    }

    /// `text` as `length` ids: tokenized, mapped, truncated or padded at the end with ``paddingID``.
    public func encode(_ text: String, length: Int) -> [Int] {
        var out = TextTokenizer.tokens(text).prefix(length).map(id)
        out.append(contentsOf: repeatElement(TextVocabulary.paddingID, count: length - out.count))
        return out
    }

    /// Writes the table to `path` (one token per line).
    ///
    /// - Throws: ``DiagnosticError`` at `path` when the file cannot be written.
    public func save(to path: String) throws {
        let text = tokens.joined(separator: "\n") + "\n"
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw DiagnosticError(.error("cannot write the vocabulary: \(error.localizedDescription)", at: SourceLocation(file: path)))
        }
    }

    /// Reads a table written by ``save(to:)``.
    ///
    /// - Throws: ``DiagnosticError`` at `path:line` for a file that does not start with `<pad>` and `<unk>`, an
    ///   empty line or token with whitespace, a repeated token, or a file with no word (an empty vocabulary).
    public static func load(path: String) throws -> TextVocabulary {
        let text = try DataFile.readText(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var seen: [String: Int] = [:]
        for (i, token) in lines.enumerated() {
            let loc = SourceLocation(file: path, line: i + 1, column: 1)
            if i == 0, token != padding {
                throw DiagnosticError(.error("a vocabulary file starts with \(padding) (id 0), got \"\(token)\"", at: loc))
            }
            if i == 1, token != unknown {
                throw DiagnosticError(.error("the second line of a vocabulary file is \(unknown) (id 1), got \"\(token)\"", at: loc))
            }
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                throw DiagnosticError(.error("a vocabulary token is one non-empty word without spaces", at: loc))
            }
            if let first = seen[token] {
                throw DiagnosticError(.error("token \"\(token)\" repeats line \(first)", at: loc))
            }
            seen[token] = i + 1
        }
        guard lines.count > 2 else {
            throw DiagnosticError(.error("empty vocabulary: the file has no word after \(padding) and \(unknown)", at: SourceLocation(file: path)))
        }
        guard lines.count <= TokenSamples.maxVocabulary else {
            throw DiagnosticError(.error("the vocabulary has \(lines.count) tokens, more than \(TokenSamples.maxVocabulary)", at: SourceLocation(file: path)))
        }
        return TextVocabulary(tokens: lines)
    }
}
