// PassOptions: the `{key=value,...}` part of a pipeline spec, read once into each pass's typed options.
import NASCIR

/// A pass whose behaviour is set by typed options (MLIR's pass options): `lower{lr=0.1,momentum=0.9}` in a spec.
///
/// The pass declares its options as a struct and reads them from a ``PassOptionReader`` in ``configured(_:)``; the
/// pipeline parser calls it once, when the spec is resolved, and reports keys no pass read.
public protocol ConfigurablePass: Pass {
    /// This pass with the options `reader` holds (keys it does not know are left for other passes).
    func configured(_ reader: inout PassOptionReader) throws -> Self
    /// The keys ``configured(_:)`` reads, for `nasc passes` and error messages.
    static var optionKeys: [String] { get }
}

/// The `key=value` items of one `{...}` group of a spec, with typed reads and located errors.
///
/// Items keep their order; a key given twice is an error. Reads mark keys as used; ``unusedKeys`` lists the rest.
public struct PassOptionReader: Sendable {
    /// The items as written.
    public private(set) var items: [(key: String, value: String)]
    /// The pass or pipeline the group belongs to (for messages).
    public let owner: String
    private var used: Set<String> = []

    /// Parses `key=value,key=value` (the text between the braces). Throws for an item without `=` or a repeated key.
    public init(parsing text: String, owner: String) throws {
        self.owner = owner
        items = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = Pipelines.trimmed(part)
            if item.isEmpty && text.allSatisfy(\.isWhitespace) { continue }
            guard let eq = item.firstIndex(of: "=") else {
                throw DiagnosticError(Diagnostic.error("option '\(item)' of '\(owner)' must be key=value"))
            }
            let key = Pipelines.trimmed(item[..<eq]), value = Pipelines.trimmed(item[item.index(after: eq)...])
            guard !key.isEmpty else { throw DiagnosticError(Diagnostic.error("option '\(item)' of '\(owner)' has no key")) }
            if items.contains(where: { $0.key == key }) {
                throw DiagnosticError(Diagnostic.error("option '\(key)' of '\(owner)' is given twice"))
            }
            items.append((key, value))
        }
    }

    /// The raw value of `key`, marking it used.
    public mutating func string(_ key: String) -> String? {
        guard let item = items.first(where: { $0.key == key }) else { return nil }
        used.insert(key)
        return item.value
    }

    /// A finite non-negative number.
    public mutating func number(_ key: String) throws -> Double? {
        guard let s = string(key) else { return nil }
        guard let v = Double(s), v.isFinite, v >= 0 else {
            throw DiagnosticError(Diagnostic.error("option \(key)=\(s) of '\(owner)' must be a non-negative number"))
        }
        return v
    }

    /// `true` or `false`.
    public mutating func flag(_ key: String) throws -> Bool? {
        guard let s = string(key) else { return nil }
        guard s == "true" || s == "false" else {
            throw DiagnosticError(Diagnostic.error("option \(key)=\(s) of '\(owner)' must be true or false"))
        }
        return s == "true"
    }

    /// One of the raw values of `T`.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let s = string(key) else { return nil }
        guard let v = T(rawValue: s) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw DiagnosticError(Diagnostic.error("option \(key)=\(s) of '\(owner)' must be one of \(names)"))
        }
        return v
    }

    /// Keys no read asked for, in the order given.
    public var unusedKeys: [String] { items.map(\.key).filter { !used.contains($0) } }
}
