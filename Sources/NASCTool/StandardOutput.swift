// StandardOutput: writes to standard output that survive a reader going away (`nasc run ... | head`): with SIGPIPE
// caught, the first EPIPE ends the printing and calls the command's reaction once, instead of the signal killing it.
import Foundation
import NASCExperiment
import Synchronization

/// Standard output for long-running commands. `nasc run` neutralizes SIGPIPE (``ignoreBrokenPipe()``) and writes its
/// progress here; when the reader has gone, later writes are dropped and ``onClose`` runs once (the run then stops as
/// for SIGTERM, resumable with `nasc run --resume`).
public enum StandardOutput {
    private struct State: ~Copyable {
        var closed = false
        var onClose: (@Sendable () -> Void)?
    }
    private static let state = Mutex(State())

    /// Makes SIGPIPE harmless in this process, so a closed standard output is an EPIPE error (handled here), not
    /// death. A handler that does nothing rather than SIG_IGN: exec resets handlers to the default, so trial processes
    /// keep the usual SIGPIPE behaviour (an ignored signal would stay ignored in them).
    public static func ignoreBrokenPipe() {
        if StopRequest.isIgnored(SIGPIPE) { return }
        signal(SIGPIPE) { _ in }
    }

    /// What to do the first time standard output is found closed (replaces the previous reaction).
    public static func onClose(_ reaction: @escaping @Sendable () -> Void) {
        state.withLock { $0.onClose = reaction }
    }

    /// True once a write found standard output closed.
    public static var isClosed: Bool { state.withLock { $0.closed } }

    /// Writes `text` in full (retrying short writes and EINTR). Returns false, and reacts once, when the reader is gone.
    @discardableResult
    public static func write(_ text: String) -> Bool {
        if isClosed { return false }
        var failed = false, dropped = false
        Array(text.utf8).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                // Another error (a full disk) drops this write only; EPIPE means the reader is gone for good.
                failed = n < 0 && errno == EPIPE
                dropped = true
                return
            }
        }
        guard failed else { return !dropped }
        let reaction: (@Sendable () -> Void)? = state.withLock { s in
            if s.closed { return nil }
            s.closed = true
            return s.onClose
        }
        reaction?()
        return false
    }
}
