// DataFile: reads a data file into bytes and turns file-system failures into located diagnostics.
import Foundation
import NASCIR

/// File access shared by the loaders; every failure is a one-line ``DiagnosticError`` naming the file.
public enum DataFile {
    /// Reads the whole file at `path`.
    ///
    /// - Throws: ``DiagnosticError`` at `path` when the file is missing, is a directory or cannot be read.
    public static func read(_ path: String) throws -> [UInt8] {
        let loc = SourceLocation(file: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let gz = FileManager.default.fileExists(atPath: path + ".gz")
            throw DiagnosticError(Diagnostic.error("no such file", at: loc,
                hint: gz ? "found \(path).gz; decompress it first (gunzip -k)" : nil))
        }
        guard !isDirectory.boolValue else {
            throw DiagnosticError(.error("expected a file but found a directory", at: loc))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(.error("cannot read file", at: loc))
        }
        return [UInt8](data)
    }

    /// Reads a text file as UTF-8.
    ///
    /// - Throws: ``DiagnosticError`` at `path` when the file cannot be read or is not UTF-8.
    public static func readText(_ path: String) throws -> String {
        let bytes = try read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DiagnosticError(.error("file is not valid UTF-8 text", at: SourceLocation(file: path)))
        }
        return text
    }

    /// True if a directory exists at `path`.
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `directory/name`, without doubling a trailing slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

extension DataFile {
    /// True if anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
