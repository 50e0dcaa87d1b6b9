// Experiment: the layout of an experiment directory and small shared helpers (clock, hashing, paths).
import Foundation
import NASCIR

/// The on-disk layout of an experiment directory and helpers shared by the store, the runner and reports.
///
/// An experiment directory holds:
/// - `experiment.sqlite` (with its `-wal`/`-shm` companions): the store (see ``ExperimentStore``);
/// - `space.pb`: the model space every trial process loads (written from the store, so it can be recreated);
/// - `trials/<id>.json`: the architecture of each trial (NNI v3 JSON), read by `nasc trial`;
/// - `trials/<id>.log`: each trial process's standard error;
/// - `.lock`: held (flock) by the `nasc run` working on the directory.
public enum Experiment {
    /// The store's file name inside the directory.
    public static let storeFileName = "experiment.sqlite"
    /// The space file trial processes read.
    public static let spaceFileName = "space.pb"

    /// `DIR/experiment.sqlite`.
    public static func storePath(_ directory: String) -> String { join(directory, storeFileName) }
    /// `DIR/space.pb`.
    public static func spacePath(_ directory: String) -> String { join(directory, spaceFileName) }
    /// `DIR/trials`.
    public static func trialsDirectory(_ directory: String) -> String { join(directory, "trials") }
    /// `DIR/trials/<id>.json`.
    public static func architecturePath(_ directory: String, trial id: Int) -> String {
        join(trialsDirectory(directory), "\(id).json")
    }
    /// `DIR/trials/<id>.log`.
    public static func logPath(_ directory: String, trial id: Int) -> String {
        join(trialsDirectory(directory), "\(id).log")
    }

    static func join(_ a: String, _ b: String) -> String { a.hasSuffix("/") ? a + b : a + "/" + b }

    /// Seconds since 1970 (the unit of every time column of the store).
    public static func now() -> Double { Date().timeIntervalSince1970 }

    /// A 64-bit FNV-1a hash of `bytes` as 16 hex digits: detects that a space file changed (not a security hash).
    public static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Writes bytes via a temporary file and rename; a failure is a located error naming `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DiagnosticError(.error("cannot write file: \(FileErrorReason.text(error))", at: SourceLocation(file: path)))
        }
    }

    /// Creates a directory (and parents); a failure is a located error.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(.error("cannot create directory: \(error.localizedDescription)", at: SourceLocation(file: path)))
        }
    }
}
