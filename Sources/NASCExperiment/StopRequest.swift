// StopRequest: a thread-safe "stop now" flag for the experiment loop, set by SIGINT, SIGTERM, SIGHUP or SIGQUIT.
import Foundation
import Synchronization

/// The signal a handler received (0: none). A plain handler sets it, whichever thread the kernel picks: a signal
/// source that ignores the signal and reads it elsewhere can lose it to a thread that does not block it.
private let receivedSignal = Atomic<Int32>(0)

/// Asks a running ``ExperimentRunner`` to end its session: it stops every trial process (SIGTERM, then SIGKILL)
/// and leaves those trials unfinished for `nasc run --resume`. Safe to set from any thread.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?

    /// Creates an unset request.
    public init() {}

    /// The first signal received (by this request, or by the handlers of ``installSignalHandlers()``), if any.
    public var signal: Int32? {
        lock.withLock {
            if received == nil {
                let s = receivedSignal.load(ordering: .acquiring)
                if s != 0 { received = s }
            }
            return received
        }
    }

    /// Records `signal` (the first one wins).
    public func request(signal: Int32) {
        lock.withLock { if received == nil { received = signal } }
    }

    /// Unblocks SIGINT, SIGTERM, SIGHUP and SIGQUIT in the calling thread (and the threads and processes it starts later): a
    /// parent may hand down a mask that blocks them, and a blocked signal would stay pending forever.
    public static func unblockCatchableSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in catchableSignals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signals `nasc run` catches.
    public static let catchableSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Routes SIGINT, SIGTERM, SIGHUP and SIGQUIT (Ctrl-\) to every request of this process instead of ending it at
    /// once, so trial processes are stopped first (`nasc run` installs them before it creates or opens the
    /// experiment). A second signal while stopping ends the process with the usual status (128 + signal) without
    /// waiting. A signal the parent ignores stays ignored (`nohup nasc run ...` keeps running when the terminal
    /// closes, as does a run a script started with `&`). Handlers reset to the default in trial processes (exec).
    public static func installSignalHandlers() {
        unblockCatchableSignals()
        for sig in Self.catchableSignals where !isIgnored(sig) {
            _ = Foundation.signal(sig) { s in
                let (exchanged, _) = receivedSignal.compareExchange(expected: 0, desired: s, ordering: .acquiringAndReleasing)
                if !exchanged { _exit(128 + s) }
            }
        }
    }

    /// True when `sig` is ignored (SIG_IGN), as `nohup` leaves SIGHUP.
    public static func isIgnored(_ sig: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(sig, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }
}
