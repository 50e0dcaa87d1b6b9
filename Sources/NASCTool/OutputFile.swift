// OutputFile: writes command output atomically so an interrupted run never leaves a half-written file.
import Foundation
import NASCIR

/// Atomic file writes with located errors.
///
/// `-` is standard output. A symbolic link is written through (its final target is replaced, the link stays).
/// An existing target that is not a regular file (a device such as `/dev/full`, a directory, a FIFO, a socket) is
/// refused with one line before anything is written: an atomic replace would swap it for a regular file.
public enum OutputFile {
    /// Writes `bytes` to `path`: standard output for `-`, else via a temporary file and rename next to the
    /// symlink-resolved target.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let at = SourceLocation(file: path)
        if path == "-" {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        let target = try resolve(path, at: at)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw DiagnosticError(.error("cannot write file: \(FileErrorReason.text(error))", at: at))
        }
    }

    /// Writes UTF-8 text to `path`.
    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// The path to replace for `path`: the final target of a chain of symbolic links (which need not exist yet),
    /// after checking that an existing target is a regular file.
    static func resolve(_ path: String, at: SourceLocation) throws -> String {
        var current = path
        for _ in 0..<40 {  // the kernel's own limit on nested links (ELOOP)
            var st = stat()
            guard lstat(current, &st) == 0 else { return current }  // does not exist: a new regular file
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                return current
            case S_IFLNK:
                guard let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                    throw DiagnosticError(.error("cannot read symbolic link '\(current)'", at: at))
                }
                current = dest.hasPrefix("/") ? dest
                    : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(dest).path
            case S_IFDIR:
                throw DiagnosticError(.error("cannot write file: '\(current)' is a directory", at: at))
            default:
                throw DiagnosticError(.error("refusing to write to '\(current)': it is not a regular file (a device, FIFO or socket); give a file path, or - for standard output", at: at))
            }
        }
        throw DiagnosticError(.error("cannot write file: too many levels of symbolic links", at: at))
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
