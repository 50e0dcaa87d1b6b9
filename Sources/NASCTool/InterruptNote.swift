// InterruptNote: on Ctrl-C, SIGTERM, SIGHUP or SIGQUIT, one line on standard error saying how to continue, then exit
// 128 + signal.
import Foundation
import NASCExperiment

/// Prints a note when the process is interrupted: a one-shot `nasc run` says how to resume.
public enum InterruptNote {
    /// The note's bytes, prepared before the handler can run (the handler only calls write and _exit).
    nonisolated(unsafe) static var message: UnsafeMutableBufferPointer<UInt8>?

    /// The signals that end the process with the note (those a parent left ignored, as `nohup` leaves SIGHUP, stay
    /// ignored).
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Installs the handlers that write `note` (one line) to standard error and exit with status 128 + signal.
    public static func install(_ note: String) {
        let bytes = Array(("\n" + note + "\n").utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        let old = message
        message = buffer
        old?.deallocate()
        // A parent may have started this process with these signals blocked (the mask is inherited): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in signals where !StopRequest.isIgnored(sig) {
            signal(sig) { s in InterruptNote.interrupt(s) }
        }
    }

    /// Writes the note and ends the process with status 128 + `signal` (async-signal-safe: write and _exit only).
    /// Also used when standard output is closed (SIGPIPE's status, 141).
    public static func interrupt(_ signal: Int32) -> Never {
        if let m = message { _ = write(2, m.baseAddress, m.count) }
        _exit(128 + signal)
    }

}
