// EventFileWriter: appends TensorBoard events to one `events.out.tfevents.*` file, one flushed record at a time.
import Foundation
import NASCIR
import SwiftProtobuf

/// Writes one TensorBoard event file in a run directory. Every event is written (and reaches the kernel) as soon as
/// it is added, so `tensorboard --logdir` shows a search while it runs and a killed process loses nothing written.
///
/// Errors are ``DiagnosticError``s located at the directory or file.
public final class EventFileWriter {
    /// The event file.
    public let path: String
    let handle: FileHandle

    /// Distinguishes files one process opens in the same directory within one second.
    nonisolated(unsafe) static var sequence = 0
    static let sequenceLock = NSLock()

    /// Creates `directory` (and parents) and a new event file in it, and writes the `brain.Event:2` header record.
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(.error("cannot create the TensorBoard directory: \(Self.reason(error))", at: SourceLocation(file: directory)))
        }
        Self.sequenceLock.lock()
        Self.sequence += 1
        let n = Self.sequence
        Self.sequenceLock.unlock()
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let name = "events.out.tfevents.\(String(format: "%010d", Int(wallTime))).\(host).\(getpid()).\(n)"
        path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw DiagnosticError(.error("cannot create the TensorBoard event file", at: SourceLocation(file: path)))
        }
        handle = h
        var header = Tensorboard_Event()
        header.wallTime = wallTime
        header.fileVersion = "brain.Event:2"
        try write(header)
    }

    deinit { try? handle.close() }

    /// Appends one event as a framed record.
    public func write(_ event: Tensorboard_Event) throws {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        do {
            let bytes: [UInt8] = try event.serializedBytes(options: options)
            try handle.write(contentsOf: TFRecord.frame(bytes))
        } catch {
            throw DiagnosticError(.error("cannot write the TensorBoard event file: \(Self.reason(error))", at: SourceLocation(file: path)))
        }
    }

    /// Appends a summary at `step`.
    public func write(_ summary: Tensorboard_Summary, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        var e = Tensorboard_Event()
        e.wallTime = wallTime
        e.step = Int64(step)
        e.summary = summary
        try write(e)
    }

    /// Appends scalars (`tag -> value`, in the given order) at `step` as one event. Non-finite values are written
    /// as they are (TensorBoard shows NaN and infinities).
    public func scalars(_ values: [(tag: String, value: Double)], step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        guard !values.isEmpty else { return }
        var s = Tensorboard_Summary()
        s.value = values.map { t, v in
            var value = Tensorboard_Summary.Value()
            value.tag = t
            value.simpleValue = Float(v)
            return value
        }
        try write(s, step: step, wallTime: wallTime)
    }

    /// Appends one scalar.
    public func scalar(_ tag: String, _ value: Double, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws {
        try scalars([(tag, value)], step: step, wallTime: wallTime)
    }

    static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
