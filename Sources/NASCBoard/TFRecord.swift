// TFRecord: the record framing of TensorBoard event files (length, masked CRC of the length, data, masked CRC).

/// TFRecord framing.
public enum TFRecord {
    /// One framed record: `uint64 LE length`, `uint32 LE masked_crc32c(length bytes)`, the data,
    /// `uint32 LE masked_crc32c(data)`.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        let length = littleEndian(UInt64(data.count))
        out += length
        out += littleEndian(CRC32C.masked(length))
        out += data
        out += littleEndian(CRC32C.masked(data))
        return out
    }

    /// Splits framed bytes back into records, checking both checksums of each; `nil` at the first bad or
    /// truncated record (readers such as TensorBoard stop there too).
    public static func records(_ bytes: [UInt8]) -> [[UInt8]]? {
        let (out, complete) = validPrefix(bytes)
        return complete ? out : nil
    }

    /// The records before the first bad or truncated one (a file whose writer was killed mid-record), and whether
    /// that was all of `bytes`.
    public static func validPrefix(_ bytes: [UInt8]) -> (records: [[UInt8]], complete: Bool) {
        var out: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            guard i + 12 <= bytes.count else { return (out, false) }
            let lengthBytes = Array(bytes[i..<i + 8])
            guard readUInt32(bytes, i + 8) == CRC32C.masked(lengthBytes) else { return (out, false) }
            var length: UInt64 = 0
            for (k, b) in lengthBytes.enumerated() { length |= UInt64(b) << (8 * UInt64(k)) }
            guard length <= UInt64(bytes.count), i + 12 + Int(length) + 4 <= bytes.count else { return (out, false) }
            let data = Array(bytes[i + 12..<i + 12 + Int(length)])
            guard readUInt32(bytes, i + 12 + Int(length)) == CRC32C.masked(data) else { return (out, false) }
            out.append(data)
            i += 12 + Int(length) + 4
        }
        return (out, true)
    }

    static func littleEndian<T: FixedWidthInteger>(_ v: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }

    static func readUInt32(_ b: [UInt8], _ i: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[i + $1]) << (8 * UInt32($1)) }
    }
}
