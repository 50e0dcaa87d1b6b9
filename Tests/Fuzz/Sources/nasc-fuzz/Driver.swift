// Driver: the libFuzzer entry points; NASC_FUZZ_TARGET names the target (see FuzzTargets.names).
import CFuzzerDriver
import Foundation
import NASCFuzzTargets

/// The selected target, read once.
let target: String = {
    let name = ProcessInfo.processInfo.environment["NASC_FUZZ_TARGET"] ?? ""
    guard FuzzTargets.names.contains(name) else {
        FileHandle.standardError.write(Data("set NASC_FUZZ_TARGET to one of \(FuzzTargets.names.joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return name
}()

/// Runs the selected target on one input (libFuzzer's callback).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzTargets.run(target, bytes)
    return 0
}

/// The process entry: SwiftPM links `main` to `nasc_fuzz_main`; it hands over to libFuzzer's driver.
@_cdecl("nasc_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    _ = target
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in fuzzOneInput(data, size) }
}
