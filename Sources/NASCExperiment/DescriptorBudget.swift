// DescriptorBudget: the open-file limit `nasc run` needs — raised to the hard limit, checked, and Foundation's process
// monitor set up while descriptors are known to be free.
import Foundation

/// The file descriptors a multi-trial `nasc run` needs before it opens its store.
///
/// Foundation starts a monitor thread (two run-loop timer and wake-up ports) and a socket manager the first time it
/// spawns a process, and **aborts the process** (SIGILL, "Unable to create timer Port") when the open-file limit
/// leaves no descriptor for them. ``prepare()`` therefore (1) raises the soft limit to the hard limit (at most
/// ``raisedLimitCap``), as most servers and build tools do, (2) refuses with one line when the limit leaves fewer
/// than ``ownNeed`` free descriptors, and (3) spawns `/bin/true` once, so the monitor exists before the store and the
/// trials take their descriptors. A later trial start that runs out of descriptors then fails with `EMFILE`, which
/// the runner retries as an infrastructure error.
public enum DescriptorBudget {
    /// Descriptors nasc itself needs beyond those open at start: Foundation's process monitor (about 12, measured with
    /// strace) and the experiment store (lock, database, WAL, shared memory, a read-only connection, the TensorBoard
    /// file and an atomic write: about 8), with a margin for what Foundation holds while a spawn finishes. Each running trial needs about 6 more (its log, output pipe, the monitor's
    /// socket pair, /dev/null).
    public static let ownNeed = 24
    /// Descriptors each running trial needs (for the message).
    public static let perTrial = 6
    /// The soft limit is raised to the hard limit, but not beyond this (a child process that closes every descriptor
    /// up to its limit would otherwise pay for millions).
    public static let raisedLimitCap: rlim_t = 1 << 16

    /// The soft open-file limit and the descriptors open now.
    public static func current() -> (limit: Int, open: Int) {
        var rl = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &rl) == 0 else { return (Int.max, 0) }
        let limit = rl.rlim_cur == rlim_t.max ? Int.max : Int(clamping: rl.rlim_cur)
        // Counting is only needed (and cheap) when the limit is small.
        let scan = min(limit, 4096)
        var open = 0
        for fd in 0..<Int32(scan) where fcntl(fd, F_GETFD) != -1 { open += 1 }
        return (limit, open)
    }

    /// Raises the soft limit towards the hard one, checks that nasc's own needs fit, and sets up Foundation's process
    /// monitor. Throws a one-line error naming the limit when the descriptors left are too few.
    public static func prepare() throws {
        raiseSoftLimit()
        let (limit, open) = current()
        if limit - open < ownNeed {
            throw LimitTooLow(description:
                "the open-file limit (ulimit -n) is \(limit), with \(open) open: nasc run needs \(open + ownNeed) for itself "
                + "and about \(perTrial) more per running trial; raise it (for example ulimit -n 1024)")
        }
        warmUpProcessMonitor()
    }

    /// The open-file limit leaves too few descriptors; `description` is the one-line reason.
    public struct LimitTooLow: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sets the soft limit to the hard limit (capped at ``raisedLimitCap``) when it is lower.
    static func raiseSoftLimit() {
        var rl = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &rl) == 0 else { return }
        let target = min(rl.rlim_max, raisedLimitCap)
        if rl.rlim_cur != rlim_t.max && rl.rlim_cur < target {
            rl.rlim_cur = target
            _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &rl)
        }
    }

    /// Spawns `/bin/true` and waits for it through its termination handler (not `waitUntilExit`, which would start
    /// this thread's run loop and take more descriptors). Best effort: a failure here shows again, as an error, at the
    /// first trial start.
    static func warmUpProcessMonitor() {
        guard FileManager.default.isExecutableFile(atPath: "/bin/true") else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch { return }
        _ = done.wait(timeout: .now() + 5)
    }
}
