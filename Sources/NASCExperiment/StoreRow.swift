// StoreRow: checked reads of store columns, so a hand-edited or damaged store is an error, never a trap.
import GRDB
import NASCIR

/// Reads typed columns of a row; a missing or mistyped value throws a diagnostic located at the store.
struct StoreRow {
    let row: Row
    let path: String
    let what: String

    /// A required value.
    func get<T: DatabaseValueConvertible>(_ column: String) throws -> T {
        guard let v: T = try opt(column) else { throw bad(column, "is missing") }
        return v
    }

    /// An optional value (NULL is `nil`).
    func opt<T: DatabaseValueConvertible>(_ column: String) throws -> T? {
        let value: DatabaseValue = row.hasColumn(column) ? row[column] : .null
        if value.isNull { return nil }
        guard let v = T.fromDatabaseValue(value) else { throw bad(column, "has a value of the wrong type") }
        return v
    }

    func bad(_ column: String, _ problem: String) -> DiagnosticError {
        DiagnosticError(.error("damaged store: \(what) column '\(column)' \(problem)", at: SourceLocation(file: path)))
    }
}
