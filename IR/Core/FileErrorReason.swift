// FileErrorReason: the system's reason for a failed file operation ("Too many open files"), not Foundation's
// generic "The operation could not be completed".
import Foundation

/// Turns a Foundation file error into the text a diagnostic shows.
public enum FileErrorReason {
    /// `strerror` of the POSIX error inside `error` (itself, or its underlying error), else its localized description.
    public static func text(_ error: any Error) -> String {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : (ns.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap {
            $0.domain == NSPOSIXErrorDomain ? $0 : nil
        }
        if let posix, posix.code != 0 { return String(cString: strerror(Int32(posix.code))) }
        return error.localizedDescription
    }
}
