// DecodedInputMutationTests: well-formed but hostile protobuf plans and spaces. Every number of a real plan and a
// real space (slot indices, sizes, strides, kernels, divisors, counts, floats) is replaced in turn by hostile values
// (0, -1, huge, NaN, infinity), the file re-encoded, and read back the way `nasc dump`, `compile`, `inspect` and
// `train` read it. Each must be decoded or refused with a located error: a trap ends the test process.
import Foundation
import Testing
import NASCFrontend
import NASCIR
import NASCRuntime
@testable import NASCTool

/// The protobuf wire format, just enough to rewrite one field of a message and re-encode the whole.
enum Wire {
    enum Value: Equatable { case varint(UInt64), fixed64(UInt64), fixed32(UInt32), bytes([UInt8]), message([Field]) }
    struct Field: Equatable { var number: UInt64; var value: Value }

    static func readVarint(_ b: [UInt8], _ i: inout Int) -> UInt64? {
        var v: UInt64 = 0, shift: UInt64 = 0
        while i < b.count, shift < 64 {
            let byte = b[i]; i += 1
            v |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return v }
            shift += 7
        }
        return nil
    }

    static func writeVarint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// Parses a message; length-delimited fields that are themselves clean messages are parsed too.
    static func parse(_ b: [UInt8]) -> [Field]? {
        var i = 0, out: [Field] = []
        while i < b.count {
            guard let key = readVarint(b, &i), key >> 3 > 0 else { return nil }
            switch key & 7 {
            case 0: guard let v = readVarint(b, &i) else { return nil }; out.append(Field(number: key >> 3, value: .varint(v)))
            case 1:
                guard i + 8 <= b.count else { return nil }
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(b[i + k]) << (8 * UInt64(k)) }
                i += 8; out.append(Field(number: key >> 3, value: .fixed64(v)))
            case 5:
                guard i + 4 <= b.count else { return nil }
                var v: UInt32 = 0
                for k in 0..<4 { v |= UInt32(b[i + k]) << (8 * UInt32(k)) }
                i += 4; out.append(Field(number: key >> 3, value: .fixed32(v)))
            case 2:
                guard let n = readVarint(b, &i), n <= UInt64(b.count - i) else { return nil }
                let sub = Array(b[i..<(i + Int(n))]); i += Int(n)
                if !sub.isEmpty, let m = parse(sub), serialize(m) == sub { out.append(Field(number: key >> 3, value: .message(m))) }
                else { out.append(Field(number: key >> 3, value: .bytes(sub))) }
            default: return nil
            }
        }
        return out
    }

    static func serialize(_ fields: [Field]) -> [UInt8] {
        var out: [UInt8] = []
        for f in fields {
            switch f.value {
            case .varint(let v): writeVarint(f.number << 3, &out); writeVarint(v, &out)
            case .fixed64(let v): writeVarint(f.number << 3 | 1, &out); for k in 0..<8 { out.append(UInt8((v >> (8 * UInt64(k))) & 0xFF)) }
            case .fixed32(let v): writeVarint(f.number << 3 | 5, &out); for k in 0..<4 { out.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) }
            case .bytes(let b): writeVarint(f.number << 3 | 2, &out); writeVarint(UInt64(b.count), &out); out += b
            case .message(let m):
                let b = serialize(m)
                writeVarint(f.number << 3 | 2, &out); writeVarint(UInt64(b.count), &out); out += b
            }
        }
        return out
    }

    /// Paths (field index per level) to every numeric leaf.
    static func leaves(_ fields: [Field], prefix: [Int] = []) -> [[Int]] {
        var out: [[Int]] = []
        for (i, f) in fields.enumerated() {
            switch f.value {
            case .message(let m): out += leaves(m, prefix: prefix + [i])
            case .bytes: break
            default: out.append(prefix + [i])
            }
        }
        return out
    }

    /// The hostile replacements of a numeric leaf.
    static func hostile(_ v: Value) -> [Value] {
        switch v {
        case .varint: return [0, UInt64.max, UInt64(1) << 40, UInt64(Int64.max), UInt64(1) << 31].map { .varint($0) }
        case .fixed64: return [Double.nan, .infinity, -.infinity, -1, 0, 1e300].map { .fixed64($0.bitPattern) }
        case .fixed32: return [Float.nan, .infinity, -1, 0].map { .fixed32($0.bitPattern) }
        default: return []
        }
    }

    static func replacing(_ fields: [Field], at path: [Int], with v: Value) -> [Field] {
        var fields = fields
        if path.count == 1 { fields[path[0]].value = v; return fields }
        guard case .message(let m) = fields[path[0]].value else { return fields }
        fields[path[0]].value = .message(replacing(m, at: Array(path.dropFirst()), with: v))
        return fields
    }
}

@Suite struct DecodedInputMutationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every leaf of `bytes`, each hostile value in turn; `use` reads the mutated file. Returns how many were read.
    static func mutate(_ bytes: [UInt8], maxLeaves: Int, _ use: ([UInt8]) throws -> Void) throws -> (decoded: Int, refused: Int, other: [String]) {
        let fields = try #require(Wire.parse(bytes))
        #expect(Wire.serialize(fields) == bytes)
        let all = Wire.leaves(fields)
        let stride = max(1, all.count / maxLeaves)
        var decoded = 0, refused = 0, other: [String] = []
        for path in Swift.stride(from: 0, to: all.count, by: stride).map({ all[$0] }) {
            var leaf = fields
            var value: Wire.Value?
            for k in path { if case .message(let m) = leaf[k].value { leaf = m } else { value = leaf[k].value } }
            for h in Wire.hostile(try #require(value)) {
                do { try use(Wire.serialize(Wire.replacing(fields, at: path, with: h))); decoded += 1 } catch let e as DiagnosticError {
                    if e.description.contains("\n") { other.append("\(path): multi-line error \(e.description)") }
                    refused += 1
                } catch { other.append("\(path) -> \(h): \(error)") }
            }
        }
        return (decoded, refused, other)
    }

    /// A real training plan with every kind of layer step (conv, depthwise, pools, norms, linear, concat, loss, SGD).
    static func plan() throws -> Plan {
        let source = """
        input x: [1, 8, 8]
        a = x -> conv2d(out: 4, kernel: 3, padding: 1) -> batch_norm -> relu
        b = a -> depthwise_conv2d(kernel: 3, stride: 2, padding: 1) -> max_pool2d(kernel: 2)
        c = a -> avg_pool2d(kernel: 4) -> dropout(p: 0.5)
        d = input_choice(b, c, n_chosen: 2, reduction: mean)
        h = concat(d, b) -> global_avg_pool -> layer_norm -> linear(out: 3)
        return h
        """
        let space = try Frontend.compile(source: source, file: "m.nas")
        return try ArchitectureTraining.plan(space, Architecture(["d": .inputs([0, 1])]), options: TrainOptions(), training: true)
    }

    @Test func mutatedPlansAreDecodedOrRefusedNeverTrapped() throws {
        let plan = try Self.plan()
        let bytes = try ProtoIO.encode(plan)
        let r = try Self.mutate(bytes, maxLeaves: 160) { b in
            guard case .plan(let p) = try ProtoIO.decodeFile(b, file: "plan.pb") else { return }
            _ = p.listing                         // `nasc dump`
            let exec = try Executor(plan: p, seed: 1)  // `nasc train` on a plan
            _ = try exec.forward(data: [Float](repeating: 0.5, count: 64), batch: 1)
        }
        #expect(r.other.isEmpty, "\(r.other.prefix(5).joined(separator: "\n"))")
        #expect(r.refused > 50 && r.decoded > 0)
    }

    @Test func mutatedSpacesAreDecodedOrRefusedNeverTrapped() throws {
        let path = Self.root.appendingPathComponent("examples/digits_valuechoice.nas").path
        let space = try Frontend.compile(source: try String(contentsOfFile: path, encoding: .utf8), file: path)
        let bytes = try ProtoIO.encode(space)
        let r = try Self.mutate(bytes, maxLeaves: 120) { b in
            guard case .space(let s) = try ProtoIO.decodeFile(b, file: "space.pb") else { return }
            var inspector = Inspector()           // `nasc inspect` (runs the default pipeline first, like `compile`)
            inspector.samples = 4
            _ = try inspector.report(s)
        }
        #expect(r.other.isEmpty, "\(r.other.prefix(5).joined(separator: "\n"))")
        #expect(r.refused > 10 && r.decoded > 0)
    }
}
