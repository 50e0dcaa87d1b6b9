// SafeTensors: writes named tensors in the safetensors format (8-byte header size, JSON header, raw data).
import Foundation
import NASCIR

/// The safetensors file format (https://github.com/huggingface/safetensors): a little-endian u64 header length,
/// a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}` padded with spaces to
/// a multiple of 8 bytes, then every tensor's little-endian bytes back to back (F32 and I64 here).
public enum SafeTensors {
    /// Tensor contents.
    public enum Values: Sendable {
        case f32([Float])
        case i64([Int64])

        var dtype: String {
            switch self { case .f32: return "F32"; case .i64: return "I64" }
        }
        var byteCount: Int {
            switch self { case .f32(let v): return v.count * 4; case .i64(let v): return v.count * 8 }
        }
        func append(to out: inout [UInt8]) {
            switch self {
            case .f32(let v): for x in v { SafeTensors.appendLE(UInt64(x.bitPattern), bytes: 4, to: &out) }
            case .i64(let v): for x in v { SafeTensors.appendLE(UInt64(bitPattern: x), bytes: 8, to: &out) }
            }
        }
    }

    /// One tensor.
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: Values
        /// Creates a float32 tensor.
        public init(name: String, shape: [Int], values: [Float]) { self.name = name; self.shape = shape; self.values = .f32(values) }
        /// Creates an int64 tensor.
        public init(name: String, shape: [Int], int64 values: [Int64]) { self.name = name; self.shape = shape; self.values = .i64(values) }
    }

    /// The file's bytes: tensors in name order (deterministic), `metadata` as string pairs.
    public static func encode(_ tensors: [Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        let sorted = tensors.sorted { $0.name < $1.name }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONValue.quote($0)):\(JSONValue.quote(metadata[$0]!))" }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for t in sorted {
            let end = offset + t.values.byteCount
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(JSONValue.quote(t.name)):{\"dtype\":\"\(t.values.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        appendLE(UInt64(header.count), bytes: 8, to: &out)
        out += header
        for t in sorted { t.values.append(to: &out) }
        return out
    }

    static func appendLE(_ v: UInt64, bytes: Int, to out: inout [UInt8]) {
        var v = v
        for _ in 0..<bytes { out.append(UInt8(v & 0xff)); v >>= 8 }
    }
}
