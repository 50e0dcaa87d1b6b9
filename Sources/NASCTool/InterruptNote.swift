// InterruptNote: on Ctrl-C (SIGINT), one line on standard error saying how to continue, then exit 130.
import Foundation

/// Prints a note when the process is interrupted: `nasc run` says how to resume.
public enum InterruptNote {
    /// The note's bytes, prepared before the handler can run (the handler only calls write and _exit).
    nonisolated(unsafe) static var message: UnsafeMutableBufferPointer<UInt8>?

    /// Installs the SIGINT handler that writes `note` (one line) to standard error and exits with status 130.
    public static func install(_ note: String) {
        let bytes = Array(("\n" + note + "\n").utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        let old = message
        message = buffer
        old?.deallocate()
        // A parent may have started this process with SIGINT blocked (the mask is inherited): unblock it here.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            if let m = InterruptNote.message { _ = write(2, m.baseAddress, m.count) }
            _exit(130)
        }
    }
}
