// Checks that the OpenBLAS system library is linked and reports its configuration.
import Testing
@testable import NASCKernels

@Test func openBLASIsLinked() {
    #expect(Kernels.blasConfig.hasPrefix("OpenBLAS"))
}
