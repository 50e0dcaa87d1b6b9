// Fixtures: loads the PyTorch reference tensors written by scripts/torch_fixtures.py (path relative to #filePath).
import Foundation

/// One named tensor from the fixture file.
struct FixtureTensor: Sendable {
    var shape: [Int]
    var data: [Float]
    var doubles: [Double] { data.map(Double.init) }
    var ints: [Int] { data.map { Int($0) } }
}

/// The fixture file `Fixtures/torch_fixtures.bin` next to this source file: `"<case>/<tensor>"` to tensor.
enum TorchFixtures {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/torch_fixtures.bin")

    /// All tensors, or nil if the file is missing or malformed.
    static let all: [String: FixtureTensor]? = load()

    /// The tensor `case/name`, or nil.
    static func tensor(_ testCase: String, _ name: String) -> FixtureTensor? { all?["\(testCase)/\(name)"] }

    /// Case names present (the part before `/`).
    static var cases: Set<String> { Set((all ?? [:]).keys.compactMap { $0.split(separator: "/").first.map(String.init) }) }

    static func load() -> [String: FixtureTensor]? {
        guard let bytes = try? [UInt8](Data(contentsOf: url)) else { return nil }
        var pos = 0
        func read<T: FixedWidthInteger>(_: T.Type) -> T? {
            let size = MemoryLayout<T>.size
            guard pos + size <= bytes.count else { return nil }
            var v: T = 0
            for i in 0..<size { v |= T(bytes[pos + i]) << (8 * i) }
            pos += size
            return v
        }
        guard bytes.count >= 12, String(decoding: bytes[0..<8], as: UTF8.self) == "NASCFIX1" else { return nil }
        pos = 8
        guard let count = read(UInt32.self) else { return nil }
        var result: [String: FixtureTensor] = [:]
        for _ in 0..<count {
            guard let nameLength = read(UInt16.self), pos + Int(nameLength) <= bytes.count else { return nil }
            let name = String(decoding: bytes[pos..<(pos + Int(nameLength))], as: UTF8.self)
            pos += Int(nameLength)
            guard let rank = read(UInt8.self) else { return nil }
            var shape: [Int] = []
            for _ in 0..<rank {
                guard let d = read(UInt32.self) else { return nil }
                shape.append(Int(d))
            }
            let n = shape.reduce(1, *)
            guard pos + 4 * n <= bytes.count else { return nil }
            var data = [Float](repeating: 0, count: n)
            for i in 0..<n {
                var bits: UInt32 = 0
                for k in 0..<4 { bits |= UInt32(bytes[pos + 4 * i + k]) << (8 * k) }
                data[i] = Float(bitPattern: bits)
            }
            pos += 4 * n
            result[name] = FixtureTensor(shape: shape, data: data)
        }
        return pos == bytes.count ? result : nil
    }
}
