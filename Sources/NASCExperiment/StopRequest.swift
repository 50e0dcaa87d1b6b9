// StopRequest: a thread-safe "stop now" flag for the experiment loop, set by SIGINT, SIGTERM or SIGHUP.
import Dispatch
import Foundation

/// Asks a running ``ExperimentRunner`` to end its session: it stops every trial process (SIGTERM, then SIGKILL)
/// and leaves those trials unfinished for `nasc run --resume`. Safe to set from any thread.
public final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []

    /// Creates an unset request.
    public init() {}

    /// The first signal received, if any.
    public var signal: Int32? { lock.withLock { received } }

    /// Records `signal` (the first one wins).
    public func request(signal: Int32) {
        lock.withLock { if received == nil { received = signal } }
    }

    /// The signals `nasc run` catches.
    public static let catchableSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Routes SIGINT, SIGTERM and SIGHUP to this request instead of ending the process at once, so trial
    /// processes are stopped first. A second signal while stopping ends the process with the usual status
    /// (128 + signal) without waiting.
    public func installSignalHandlers() {
        for sig in Self.catchableSignals {
            Foundation.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.signal != nil { _exit(128 + sig) }
                self.request(signal: sig)
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }
}
