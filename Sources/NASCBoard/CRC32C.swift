// CRC32C: the Castagnoli CRC-32 (reflected polynomial 0x82F63B78) and TFRecord's masked form of it.

/// CRC-32C as TFRecord files use it.
public enum CRC32C {
    /// The byte-at-a-time table for the reflected polynomial 0x82F63B78.
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The CRC-32C of `bytes` (init and final xor 0xFFFFFFFF; `checksum("123456789".utf8) == 0xE3069283`).
    public static func checksum<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// TFRecord's mask of a CRC: `((c >> 15) | (c << 17)) + 0xA282EAD8` modulo 2^32.
    public static func mask(_ c: UInt32) -> UInt32 {
        ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }

    /// The masked CRC-32C of `bytes`.
    public static func masked<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 { mask(checksum(bytes)) }
}
