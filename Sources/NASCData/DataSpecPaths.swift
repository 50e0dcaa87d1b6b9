// DataSpecPaths: makes the paths inside a data set spec absolute, so an experiment resumed elsewhere reads the same files.
import Foundation

extension DataSpec {
    /// The spec with every file or directory it names made absolute against `directory` (`idx:data` becomes
    /// `idx:/home/me/data`). The bundled `digits` becomes `digits:/.../examples/data/digits` when it is found from
    /// `directory`; options and synthetic specs are kept as they are.
    public static func absolutized(_ text: String, against directory: String) -> String {
        let (head, query) = split(text)
        guard let colon = head.firstIndex(of: ":") else {
            if head == "digits", let root = findRepositoryRoot(from: directory) {
                return "digits:" + standardized(digitsDirectory(repositoryRoot: root), against: directory) + query
            }
            return text
        }
        let kind = String(head[..<colon])
        let arg = String(head[head.index(after: colon)...])
        guard pathKinds.contains(kind), !arg.isEmpty else { return text }
        return kind + ":" + standardized(arg, against: directory) + absolutizedQuery(query, kind: kind, against: directory)
    }

    /// The `?query` with the values of its path options (``pathOptions``) made absolute.
    static func absolutizedQuery(_ query: String, kind: String, against directory: String) -> String {
        guard let keys = pathOptions[kind], query.count > 1 else { return query }
        let pairs = query.dropFirst().split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "="), keys.contains(String(pair[..<eq])), pair.index(after: eq) != pair.endIndex else {
                return String(pair)
            }
            return String(pair[...eq]) + standardized(String(pair[pair.index(after: eq)...]), against: directory)
        }
        return "?" + pairs.joined(separator: "&")
    }

    /// Options whose values are paths, by kind.
    static let pathOptions: [String: Set<String>] = ["text": ["test", "vocab"], "tokens": ["test"]]

    /// The files and directories a spec names (empty for `digits` without a directory and for synthetic data).
    public static func paths(_ text: String) -> [String] {
        let (head, query) = split(text)
        guard let colon = head.firstIndex(of: ":") else { return [] }
        let kind = String(head[..<colon])
        let arg = String(head[head.index(after: colon)...])
        guard pathKinds.contains(kind), !arg.isEmpty else { return [] }
        let keys = pathOptions[kind] ?? []
        let extra = query.dropFirst().split(separator: "&").compactMap { (pair: Substring) -> String? in
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, keys.contains(String(kv[0])) else { return nil }
            return String(kv[1])
        }
        return [arg] + extra
    }

    /// Kinds whose argument is a path.
    static let pathKinds: Set<String> = ["digits", "idx", "mnist", "fashion-mnist", "cifar10", "cifar-10", "csv", "text", "tokens"]

    /// `(head, "?query")` (the query keeps its `?`, or is empty).
    static func split(_ text: String) -> (String, String) {
        guard let q = text.firstIndex(of: "?") else { return (text, "") }
        return (String(text[..<q]), String(text[q...]))
    }

    /// `path` made absolute against `directory` and standardized (`.` and `..` removed).
    public static func standardized(_ path: String, against directory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}
