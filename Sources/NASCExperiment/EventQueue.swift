// EventQueue: a thread-safe event queue with a timed wait, the experiment loop's only synchronization point.
import Foundation

/// A thread-safe queue of events with a timed wait (the experiment loop's only synchronization point).
public final class EventQueue<Event: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [Event] = []

    /// Creates an empty queue.
    public init() {}

    /// Adds an event and wakes the waiter.
    public func post(_ event: Event) {
        condition.lock()
        events.append(event)
        condition.signal()
        condition.unlock()
    }

    /// Takes every queued event, waiting until `deadline` if there is none (may return empty).
    public func drain(waitingUntil deadline: Date) -> [Event] {
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        let out = events
        events.removeAll()
        return out
    }
}
