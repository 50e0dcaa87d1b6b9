// ExperimentLock: an advisory lock (flock) so only one `nasc run` works on an experiment directory at a time.
import Foundation
import NASCIR

/// Holds `DIR/.lock` exclusively for the lifetime of the object. The kernel drops the lock when the process
/// dies, even by `kill -9`, so a resume never finds a stale lock. The descriptor is close-on-exec, so trial
/// processes do not inherit it.
public final class ExperimentLock {
    private let fd: Int32

    /// Takes the lock or throws a located error if another process holds it.
    public init(directory: String) throws {
        let path = Experiment.join(directory, ".lock")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DiagnosticError(.error("cannot open lock file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DiagnosticError(.error("another `nasc run` is working on this experiment", at: SourceLocation(file: directory)))
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
