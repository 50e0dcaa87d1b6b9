// Kernels: namespace for the numeric kernels, BLAS thread control and shared kernel errors.
import COpenBLAS

/// Namespace for the numeric kernels. Every kernel family lives in its own file as a small enum
/// of static functions over raw float32 buffers (NCHW layout) and an explicit shape struct.
public enum Kernels {
    /// The OpenBLAS build configuration string (e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ...`).
    public static var blasConfig: String { String(cString: openblas_get_config()) }

    nonisolated(unsafe) static var workerCount = 1

    /// Sets the number of threads the kernels use (values below 1 are clamped to 1). The kernels split their work
    /// (images, planes, channels, GEMM rows) over this many workers themselves (``Parallel``), each calling OpenBLAS
    /// single-threaded: OpenBLAS's own threads would spin between calls and compete with the workers for the cores.
    public static func setThreads(_ count: Int) {
        workerCount = max(1, count)
        openblas_set_num_threads(1)
    }

    /// The number of threads the kernels use (``withThreads(_:_:)`` overrides it inside its body).
    public static var threads: Int { threadOverride ?? workerCount }

    /// A per-task thread count, so a test can run kernels with several workers without changing the global setting.
    @TaskLocal static var threadOverride: Int?

    /// Runs `body` with the kernels called from this task using `count` threads (clamped to at least 1). With
    /// `smallChunks`, work is split however small it is (tests use it to run the parallel paths on small tensors).
    public static func withThreads<R>(_ count: Int, smallChunks: Bool = false, _ body: () throws -> R) rethrows -> R {
        try $threadOverride.withValue(max(1, count)) {
            try Parallel.$chunkOverride.withValue(smallChunks ? 1 : nil) { try body() }
        }
    }

    /// The number of threads OpenBLAS itself uses (1 once ``setThreads(_:)`` has run).
    public static var blasThreads: Int { Int(openblas_get_num_threads()) }
}

/// An error a kernel reports for data it cannot process (e.g. a class label out of range).
public enum KernelError: Error, Equatable, Sendable {
    /// Sample `index` carries `label`, which is not in `0..<classes`.
    case labelOutOfRange(index: Int, label: Int64, classes: Int)
    /// Position `index` holds token id `token`, which is not in `0..<vocab` (an embedding's table).
    case tokenOutOfRange(index: Int, token: Int64, vocab: Int)
}
