// BenchProcess: process measurements for the benchmark — wall clock, own CPU time, other processes' CPU, peak RSS.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Clock and /proc readings, measured the same way as torch_ref.py.
enum BenchProcess {
    /// Monotonic seconds.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    /// User + system CPU seconds of this process.
    static func ownCPU() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }

    /// Peak resident set size in MiB (`ru_maxrss`).
    static func peakRSSMiB() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_maxrss) / 1024
    }

    /// Current resident set size in MiB (`VmRSS`).
    static func rssMiB() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in s.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Double(parts[1]) { return kb / 1024 }
        }
        return .nan
    }

    /// Busy jiffies of the whole machine (user nice system irq softirq steal), as torch_ref.py counts them.
    static func busyJiffies() -> Int {
        guard let s = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let first = s.split(separator: "\n").first else { return 0 }
        let v = first.split(separator: " ", omittingEmptySubsequences: true).dropFirst().compactMap { Int($0) }
        guard v.count >= 8 else { return 0 }
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    }

    /// Clock ticks per second.
    static var clockTicks: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }
}
