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
        return kind + ":" + standardized(arg, against: directory) + query
    }

    /// The files and directories a spec names (empty for `digits` without a directory and for synthetic data).
    public static func paths(_ text: String) -> [String] {
        let (head, _) = split(text)
        guard let colon = head.firstIndex(of: ":") else { return [] }
        let kind = String(head[..<colon])
        let arg = String(head[head.index(after: colon)...])
        return pathKinds.contains(kind) && !arg.isEmpty ? [arg] : []
    }

    /// Kinds whose argument is a path.
    static let pathKinds: Set<String> = ["digits", "idx", "mnist", "fashion-mnist", "cifar10", "cifar-10", "csv"]

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
