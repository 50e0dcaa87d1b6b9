// Kernels: namespace for the numeric kernels; each kernel lives in its own file.
import COpenBLAS

/// Namespace for the numeric kernels.
public enum Kernels {
    /// The OpenBLAS build configuration string (e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH ...`).
    public static var blasConfig: String { String(cString: openblas_get_config()) }
}
