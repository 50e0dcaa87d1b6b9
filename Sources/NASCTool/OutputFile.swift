// OutputFile: writes command output atomically so an interrupted run never leaves a half-written file.
import Foundation
import NASCIR

/// Atomic file writes with located errors.
public enum OutputFile {
    /// Writes `bytes` to `path` via a temporary file and rename.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DiagnosticError(.error("cannot write file: \(error.localizedDescription)", at: SourceLocation(file: path)))
        }
    }

    /// Writes UTF-8 text to `path`.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }
}

extension OutputFile {
    /// Throws a located error when the directory `path` would be written into does not exist (checked before work).
    public static func checkDirectory(of path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw DiagnosticError(.error("directory '\(dir)' does not exist", at: SourceLocation(file: path)))
        }
    }
}
