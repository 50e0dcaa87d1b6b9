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

    let logPath: String

    /// Prepares `executable arguments...`; standard error goes to `logPath` (rewritten for each attempt).
    public init(trial: Int, executable: String, arguments: [String], logPath: String) {
        self.trial = trial
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
    }

    /// The process id (0 before start).
    public var pid: Int32 { process.processIdentifier }

    /// Starts the process; a reader thread posts its lines then its exit to `events`.
    /// Every descriptor the parent opens for the child (the log, the output pipe's write end) is closed once the
    /// child has its copies, so a long experiment holds only the reading end of each running trial's pipe.
    /// A failure to open them or to spawn is a ``TrialStartError`` (an infrastructure problem, not the trial's).
    public func start(events: EventQueue<TrialProcessEvent>) throws {
        let logFD = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw TrialStartError(what: "cannot open the trial log \(logPath)", errno: errno) }
        let log = FileHandle(fileDescriptor: logFD, closeOnDealloc: true)
        defer { try? log.close() }
        process.standardError = log
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TrialStartError(what: "cannot create the trial's output pipe", errno: errno) }
        // Close-on-exec, so other trials spawned meanwhile do not inherit this one's pipe.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        let writer = FileHandle(fileDescriptor: fds[1], closeOnDealloc: true)
        process.standardOutput = writer
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
        do {
            try process.run()
        } catch {
            try? writer.close()
            try? reader.close()
            throw TrialStartError(what: "cannot start \(process.executableURL?.path ?? "the trial process")", error: error)
        }
        // The parent's copy of the write end must close, or EOF never comes.
        try? writer.close()
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

/// A trial process could not be started: descriptors, memory or processes ran out, or the executable is missing.
/// The runner treats it as an infrastructure error: the trial stays queued and is retried, never failed.
public struct TrialStartError: Error, CustomStringConvertible, Sendable {
    /// What was being done.
    public var what: String
    /// The `errno` (0 when unknown).
    public var errno: Int32
    /// A message when there is no errno.
    public var detail: String?

    /// Creates the error.
    public init(what: String, errno: Int32, detail: String? = nil) {
        self.what = what; self.errno = errno; self.detail = detail
    }

    /// Creates the error from a Foundation error (its POSIX code, when it has one).
    public init(what: String, error: any Error) {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? $0 : nil
        }
        var code = posix.map { Int32($0.code) } ?? 0
        if code == 0, ns.domain == NSCocoaErrorDomain {
            // Foundation checks the executable itself and reports these without a POSIX code.
            if ns.code == CocoaError.fileNoSuchFile.rawValue || ns.code == CocoaError.fileReadNoSuchFile.rawValue { code = ENOENT }
            if ns.code == CocoaError.fileReadNoPermission.rawValue || ns.code == CocoaError.fileWriteNoPermission.rawValue { code = EACCES }
        }
        self.init(what: what, errno: code, detail: code == 0 ? "\(error.localizedDescription)" : nil)
    }

    /// True for limits that free up (descriptors, processes, memory): worth retrying in the same session. Foundation
    /// reports descriptors running out inside `Process.run` as EBADF (its internal pipe got none), and other
    /// failures without a code; both are retried too (a persistent one ends the session after a few attempts).
    public var isResourceLimit: Bool { errno == 0 || [EMFILE, ENFILE, EAGAIN, ENOMEM, ENOSPC, EBADF].contains(errno) }

    public var description: String {
        "\(what): " + (detail ?? (errno != 0 ? String(cString: strerror(errno)) : "unknown error"))
    }
}
