// Kernels: namespace for the numeric kernels, BLAS thread control and shared kernel errors.
import COpenBLAS

/// Namespace for the numeric kernels. Every kernel family lives in its own file as a small enum
/// of static functions over raw float32 buffers (NCHW layout) and an explicit shape struct.
public enum Kernels {
    /// The OpenBLAS build configuration string (e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ...`).
    public static var blasConfig: String { String(cString: openblas_get_config()) }

    /// Sets the number of threads OpenBLAS uses for GEMM-backed kernels (conv2d, linear).
    /// Values below 1 are clamped to 1.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(clamping: max(1, count)))
    }

    /// The number of threads OpenBLAS currently uses.
    public static var threads: Int { Int(openblas_get_num_threads()) }
}

/// An error a kernel reports for data it cannot process (e.g. a class label out of range).
public enum KernelError: Error, Equatable, Sendable {
    /// Sample `index` carries `label`, which is not in `0..<classes`.
    case labelOutOfRange(index: Int, label: Int64, classes: Int)
}
