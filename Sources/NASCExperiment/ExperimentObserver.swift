// ExperimentObserver: what the experiment loop tells a display while it works (progress lines, live table).

/// Receives the experiment loop's progress. All calls come from the loop's thread.
public protocol ExperimentObserver: AnyObject {
    /// A one-line note about the experiment (session start, limits, resume details).
    func note(_ text: String)
    /// A trial process started.
    func trialStarted(_ id: Int, attempt: Int, pid: Int32)
    /// A trial reported an epoch's metric.
    func trialProgress(_ id: Int, epoch: Int, metric: Double)
    /// A trial finished (succeeded or failed), as stored.
    func trialFinished(_ record: TrialRecord)
    /// Called about every quarter second while the loop waits (for refreshing displays).
    func tick(_ snapshot: ExperimentSnapshot)
}

/// A view of the experiment for displays.
public struct ExperimentSnapshot: Sendable {
    /// Trials being evaluated: id -> (latest epoch, latest metric).
    public var running: [Int: (epoch: Int, metric: Double)?]
    public var succeeded: Int
    public var failed: Int
    public var queued: Int
    /// Total trials so far.
    public var total: Int
    /// The best succeeded trial so far.
    public var best: (id: Int, metric: Double)?
    /// Seconds elapsed over all sessions.
    public var elapsed: Double
    public var maxTrials: Int?
    public var maxDuration: Double?
}
