// SessionClock: records a running session's elapsed time in its store every second, so `nasc experiment list`
// counts the time of a session that is killed (the runner of multi-trial sessions records it as it goes).
import Foundation

/// Adds this session's wall-clock time to the experiment's stored elapsed time, once a second until ``stop()``.
public final class SessionClock: @unchecked Sendable {
    private let store: ExperimentStore
    private let before: Double
    private let start = Experiment.now()
    private let timer: DispatchSourceTimer
    private let lock = NSLock()
    private var stopped = false

    /// Starts counting from now, on top of the elapsed time `store` holds.
    public init(store: ExperimentStore, interval: Double = 1) throws {
        self.store = store
        before = try store.state().elapsed
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.record() }
        timer.resume()
    }

    /// The elapsed time over all sessions, this one included.
    public var elapsed: Double { before + (Experiment.now() - start) }

    private func record() {
        lock.withLock {
            guard !stopped else { return }
            try? store.setElapsed(elapsed)
        }
    }

    /// Stops recording; returns the elapsed time for the store's final record.
    @discardableResult
    public func stop() -> Double {
        lock.withLock { stopped = true }
        timer.cancel()
        return elapsed
    }

    deinit { timer.cancel() }
}
