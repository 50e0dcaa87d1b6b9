// ConvKernelBench: `nasc-bench --conv-kernels` — processor time per convolution pass of the benchmark models' shapes.
import Foundation
import NASCKernels

/// Times `Conv2D.forward`, `backwardInput` and `backwardWeight` on each convolution shape of the benchmark models
/// (batch 64) and prints processor milliseconds per call and the GEMM rate they give. Processor time of this process,
/// the best of 3 rounds, rather than wall time: on a shared machine it moves far less with the other processes' load
/// (it still moves with their cache and memory traffic, so compare runs made side by side).
enum ConvKernelBench {
    /// The convolutions of models a, b and c (b's 1x1 is the pointwise half of its separable convolution).
    static let shapes: [(String, Conv2DShape)] = [
        ("c/b 16->16 3x3 32x32", Conv2DShape(batch: 64, inChannels: 16, inHeight: 32, inWidth: 32, outChannels: 16, kernel: (3, 3),
                                             padding: (1, 1))),
        ("b 16->16 5x5 32x32", Conv2DShape(batch: 64, inChannels: 16, inHeight: 32, inWidth: 32, outChannels: 16, kernel: (5, 5),
                                           padding: (2, 2))),
        ("b 16->16 1x1 32x32", Conv2DShape(batch: 64, inChannels: 16, inHeight: 32, inWidth: 32, outChannels: 16, kernel: (1, 1))),
        ("b/c stem 3->16 3x3", Conv2DShape(batch: 64, inChannels: 3, inHeight: 32, inWidth: 32, outChannels: 16, kernel: (3, 3),
                                           padding: (1, 1))),
        ("a conv1 1->32 3x3 28x28", Conv2DShape(batch: 64, inChannels: 1, inHeight: 28, inWidth: 28, outChannels: 32, kernel: (3, 3))),
        ("a conv2 32->64 3x3 26x26", Conv2DShape(batch: 64, inChannels: 32, inHeight: 26, inWidth: 26, outChannels: 64, kernel: (3, 3))),
    ]

    /// Processor seconds of this process.
    static func cpu() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Best processor seconds per call of `body` over 3 rounds of `reps` calls (after one untimed call).
    static func time(reps: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = cpu()
            for _ in 0..<reps { body() }
            best = min(best, (cpu() - t0) / Double(reps))
        }
        return best
    }

    /// Prints one line per shape and pass: processor ms per call and GFLOP/s.
    static func run(threads: Int) {
        Kernels.setThreads(threads)
        var rng = SplitMix(state: 7)
        print("shape                      pass    cpu ms  GFLOP/s")
        for (name, s) in shapes {
            let x = (0..<s.inputCount).map { _ in rng.normal() }, w = (0..<s.weightCount).map { _ in rng.normal() }
            let gy = (0..<s.outputCount).map { _ in rng.normal() }
            var y = [Float](repeating: 0, count: s.outputCount), gx = [Float](repeating: 0, count: s.inputCount)
            var gw = [Float](repeating: 0, count: s.weightCount), ws = [Float](repeating: 0, count: max(1, Conv2D.workspaceSize(s)))
            let flops = 2 * Double(s.batch * s.outChannels * s.outHeight * s.outWidth * s.inChannels * s.kernelHeight * s.kernelWidth)
            let reps = max(1, Int(2e9 / flops))
            let passes: [(String, () -> Void)] = [
                ("fwd", { Conv2D.forward(shape: s, input: x, weight: w, bias: nil, output: &y, workspace: &ws) }),
                ("bwdI", { Conv2D.backwardInput(shape: s, gradOutput: gy, weight: w, gradInput: &gx, workspace: &ws) }),
                ("bwdW", { Conv2D.backwardWeight(shape: s, input: x, gradOutput: gy, gradWeight: &gw, workspace: &ws) }),
            ]
            for (pass, body) in passes {
                let t = time(reps: reps, body)
                print(String(format: "%-26@ %-5@ %8.2f %8.1f", name as NSString, pass as NSString, t * 1e3, flops / t * 1e-9))
            }
        }
    }
}
