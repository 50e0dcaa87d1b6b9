// nasc-bench: times nasc training and inference steps on the benchmark models and prints one JSON line per run.
import Foundation

/// Parses `--key value` arguments into options (the harness is driven by scripts/bench.sh).
func parseOptions(_ args: [String]) -> BenchOptions? {
    var o = BenchOptions()
    var i = 0
    func value() -> String? { i += 1; return i < args.count ? args[i] : nil }
    while i < args.count {
        let a = args[i]
        switch a {
        case "--model": guard let v = value() else { return nil }; o.model = v
        case "--mode": guard let v = value(), ["train", "infer", "darts"].contains(v) else { return nil }; o.mode = v
        case "--threads": guard let v = value().flatMap(Int.init), v > 0 else { return nil }; o.threads = v
        case "--batch": guard let v = value().flatMap(Int.init), v > 0 else { return nil }; o.batch = v
        case "--warmup": guard let v = value().flatMap(Int.init), v >= 0 else { return nil }; o.warmup = v
        case "--iters": guard let v = value().flatMap(Int.init), v > 0 else { return nil }; o.iters = v
        case "--json": guard let v = value() else { return nil }; o.json = v
        case "--profile": o.profile = true
        case "--space": guard let v = value() else { return nil }; o.supernetSpace = v
        case "--conv-kernels": o.convKernels = true
        default: return nil
        }
        i += 1
    }
    if ProcessInfo.processInfo.environment["NASC_BENCH_PROFILE"] == "1" { o.profile = true }
    return o
}

let usage = "usage: nasc-bench --model a|b|b2|c|attn64|attn128|lstm|gru [--mode train|infer|darts] [--threads N] [--batch 64] [--warmup 5] [--iters 30] [--json FILE] [--profile] [--space B.nir]\n       nasc-bench --conv-kernels [--threads N]"
guard let options = parseOptions(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}
if options.convKernels {
    ConvKernelBench.run(threads: options.threads)
    exit(0)
}
do {
    let r = try BenchRunner.run(options)
    if r["available"] as? Bool == true {
        let f = { (k: String) in String(format: "%.0f", r[k] as? Double ?? .nan) }
        print("[nasc \(options.model) \(options.mode) t=\(options.threads)] \(f("img_s_median")) img/s (min \(f("img_s_min")), max \(f("img_s_max")));"
              + " step \(String(format: "%.2f", r["step_ms_median"] as? Double ?? .nan)) ms; GEMM \(String(format: "%.1f", r["gemm_gflops"] as? Double ?? .nan)) GFLOP/s;"
              + " peakRSS \(String(format: "%.1f", r["peak_rss_mib"] as? Double ?? .nan)) MiB; others' CPU \(String(format: "%.1f", r["others_cpu_pct_of_one_core"] as? Double ?? .nan))%")
        if let p = r["profile"] as? [String: Any], let kinds = p["by_kind_ms"] as? [String: Double] {
            for (k, ms) in kinds.sorted(by: { $0.value > $1.value }) { print(String(format: "  %-24@ %8.3f ms", k as NSString, ms)) }
            if let steps = p["steps"] as? [[String: Any]] {
                for s in steps {
                    let g = (s["gflops"] as? Double).map { String(format: "  %.1f GFLOP/s", $0) } ?? ""
                    print(String(format: "    #%-3d %-24@ %8.3f ms", s["step"] as? Int ?? 0, (s["kernel"] as? String ?? "") as NSString, s["ms"] as? Double ?? 0) + g)
                }
            }
        }
    } else {
        print("[nasc \(options.model) \(options.mode) t=\(options.threads)] \(r["reason"] as? String ?? "not available")")
    }
    if let path = options.json {
        let data = try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        h.seekToEndOfFile()
        h.write(data + Data("\n".utf8))
        try h.close()
    }
} catch {
    FileHandle.standardError.write(Data("nasc-bench: \(error)\n".utf8))
    exit(1)
}
