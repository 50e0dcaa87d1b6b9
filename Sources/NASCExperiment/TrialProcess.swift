// TrialProcess: one `nasc trial` child process — spawn, read its stdout lines on a thread, kill, report exit.
import Foundation

/// What a trial process reports to the experiment loop.
public enum TrialProcessEvent: Sendable {
    /// One line of the process's standard output.
    case line(trial: Int, text: String)
    /// The process ended: exit status, or the signal that killed it. Sent after every `line`.
    case exited(trial: Int, status: Int32, signal: Int32?)
}

/// A running trial process.
public final class TrialProcess: @unchecked Sendable {
    /// The trial id.
    public let trial: Int
    let process = Process()
    /// When `run()` was called (seconds since 1970).
    public private(set) var spawnedAt: Double = 0
    /// Seconds to keep reading output after the process ended when its stdout stays open.
    public var drainLimit: Double = 2

    /// Prepares `executable arguments...`; standard error goes to `logPath` (rewritten for each attempt).
    public init(trial: Int, executable: String, arguments: [String], logPath: String) {
        self.trial = trial
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if FileManager.default.createFile(atPath: logPath, contents: nil),
           let log = FileHandle(forWritingAtPath: logPath) {
            process.standardError = log
        } else {
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
    }

    /// The process id (0 before start).
    public var pid: Int32 { process.processIdentifier }

    /// Starts the process; a reader thread posts its lines then its exit to `events`.
    public func start(events: EventQueue<TrialProcessEvent>) throws {
        let out = Pipe()
        process.standardOutput = out
        // The exit is reported once the output is read to its end, or `drainLimit` seconds after the process
        // ended if the pipe stays open (a leftover grandchild holding it must not hold the trial's slot).
        let readerDone = DispatchSemaphore(value: 0)
        let id = trial
        let drainLimit = self.drainLimit
        process.terminationHandler = { p in
            let status = p.terminationStatus
            let signaled = p.terminationReason == .uncaughtSignal
            DispatchQueue.global().async {
                _ = readerDone.wait(timeout: .now() + drainLimit)
                events.post(.exited(trial: id, status: status, signal: signaled ? status : nil))
            }
        }
        spawnedAt = Date().timeIntervalSince1970
        try process.run()
        // The parent's copy of the write end must close, or EOF never comes.
        try? out.fileHandleForWriting.close()
        let reader = out.fileHandleForReading
        let thread = Thread {
            var buffer = [UInt8]()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                buffer.append(contentsOf: chunk)
                while let nl = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[..<nl], as: UTF8.self)
                    buffer.removeSubrange(...nl)
                    if !line.trimmingCharacters(in: .whitespaces).isEmpty { events.post(.line(trial: id, text: line)) }
                }
                // A process that floods without newlines cannot grow memory without bound.
                if buffer.count > 1 << 20 {
                    events.post(.line(trial: id, text: String(decoding: buffer.prefix(200), as: UTF8.self)))
                    buffer.removeAll()
                }
            }
            if !buffer.isEmpty { events.post(.line(trial: id, text: String(decoding: buffer, as: UTF8.self))) }
            try? reader.close()
            readerDone.signal()
        }
        thread.start()
    }

    /// The exit of a process that has ended but is not reaped yet (a zombie), read from `/proc/<pid>/stat`:
    /// exit status, or the signal that killed it. `nil` while it runs or once reaped. Used when Foundation has not
    /// noticed the exit (it watches a descriptor a leftover grandchild may still hold).
    public func endedExit() -> (status: Int32, signal: Int32?)? {
        let p = pid
        guard p > 0, let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3); the exit code is field 52, the last one.
        guard fields.first == "Z", fields.count >= 50, let code = Int32(fields[fields.count - 1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        let signal = code & 0x7f
        return signal != 0 ? (signal, signal) : ((code >> 8) & 0xff, nil)
    }

    /// Sends a signal (SIGTERM by default) to the process if it is running.
    public func signal(_ sig: Int32 = SIGTERM) {
        let p = pid
        if p > 0 && process.isRunning { kill(p, sig) }
    }
}
