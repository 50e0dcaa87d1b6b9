// ArrayFile: writes a float matrix (one row per sample) as NumPy .npy or CSV, for `nasc predict -o`.

/// Encodings of a row-major `rows x columns` float32 matrix.
public enum ArrayFile {
    /// The output format for a path: `.npy` or CSV (anything else).
    public static func isNumPy(_ path: String) -> Bool { path.hasSuffix(".npy") }

    /// NumPy format 1.0: magic, a padded header dict (`<f4`, C order, shape), then raw little-endian float32.
    public static func npy(_ values: [Float], rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        // Magic (6) + version (2) + header length (2) + header, padded with spaces and a newline to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let n = UInt16(header.utf8.count)
        out += [UInt8(n & 0xff), UInt8(n >> 8)]
        out += Array(header.utf8)
        out.reserveCapacity(out.count + values.count * 4)
        for v in values {
            let b = v.bitPattern.littleEndian
            out += [UInt8(b & 0xff), UInt8((b >> 8) & 0xff), UInt8((b >> 16) & 0xff), UInt8(b >> 24)]
        }
        return out
    }

    /// CSV: a header `output_0,...` then one row per sample, shortest round-tripping decimal form.
    public static func csv(_ values: [Float], rows: Int, columns: Int) -> String {
        var s = (0..<columns).map { "output_\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<rows {
            s += values[(r * columns)..<((r + 1) * columns)].map { "\($0)" }.joined(separator: ",") + "\n"
        }
        return s
    }
}
