// ExportSupport: fixtures for the weights, predict and export tests — example spaces, sampled architectures, weights.
import Foundation
import NASCIR
import NASCTool

enum ExportSupport {
    static let examples = NascProcess.root.appendingPathComponent("examples")

    /// Every example space file.
    static func exampleSpaces() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "nas" }.sorted { $0.path < $1.path }
    }

    /// A space loaded like the CLI loads it.
    static func space(_ url: URL) throws -> ModelSpace { try InputFile(path: url.path).loadSpace() }

    /// `count` architectures drawn with a fixed seed (distinct when the space has that many).
    static func architectures(_ space: ModelSpace, count: Int, seed: UInt64) throws -> [Architecture] {
        let search = try SearchSpace(space)
        var rng = SplitMix64(seed: seed)
        var out: [Architecture] = []
        for _ in 0..<(count * 4) where out.count < count {
            let a = search.randomArchitecture(using: &rng)
            if !out.contains(a) { out.append(a) }
        }
        return out
    }

    /// Untrained weights made non-trivial: running statistics and input normalization drawn at random, so batch
    /// norm and the normalization prefix are really exercised.
    static func weights(_ space: ModelSpace, _ arch: Architecture, seed: UInt64) throws -> Checkpoint {
        var c = try ArchitectureTraining.initialWeights(space, arch, seed: seed)
        var rng = SplitMix64(seed: seed &+ 17)
        func uniform(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(rng.next() >> 40) / Float(1 << 24) }
        for i in c.tensors.indices where c.tensors[i].role == .state {
            let variance = c.tensors[i].name.hasSuffix("running_var")
            c.tensors[i].values = c.tensors[i].values.map { _ in variance ? uniform(0.5, 2) : uniform(-0.5, 0.5) }
        }
        if let input = space.rootGraph?.inputs.first, input.type.dtype != .i64, let channels = input.type.shape.dropFirst().first?.value {
            c.inputNormalization = Checkpoint.Normalization(mean: (0..<channels).map { _ in uniform(-0.2, 0.2) },
                                                            std: (0..<channels).map { _ in uniform(0.5, 1.5) })
        }
        return c
    }

    /// `synthetic?shape=...` data with `test` test samples matching the space's input.
    static func syntheticSpec(_ space: ModelSpace, test: Int) -> String {
        let dims = space.rootGraph!.inputs[0].type.shape.dropFirst().map { String($0.value ?? 1) }
        return "synthetic?shape=\(dims.joined(separator: "x"))&count=8&test=\(test)&seed=5"
    }

    /// Data for `test` test samples matching the space's input: ``syntheticSpec(_:test:)`` for float inputs; for token
    /// ids, `tokens:` files written into `dir` with ids below the smallest embedding table and trailing padding (id 0)
    /// of varied length, a sample of padding only among them.
    static func dataSpec(_ space: ModelSpace, test: Int, in dir: URL) throws -> String {
        let input = space.rootGraph!.inputs[0].type
        guard input.dtype == .i64, let length = input.shape.last?.value else { return syntheticSpec(space, test: test) }
        let vocab = space.graphs.flatMap(\.nodes).compactMap { n -> Int? in
            if case .embedding(let a) = n.op { return a.vocab.constantInt } else { return nil }
        }.min() ?? 2
        var rng = SplitMix64(seed: 41)
        func lines(_ count: Int) -> String {
            (0..<count).map { i in
                let real = i == 1 ? 0 : 1 + Int(rng.next() % UInt64(length))
                let ids = (0..<length).map { $0 < real ? 1 + Int(rng.next() % UInt64(max(vocab - 1, 1))) : 0 }
                return "\(i % 2) " + ids.map(String.init).joined(separator: " ")
            }.joined(separator: "\n") + "\n"
        }
        let train = dir.appendingPathComponent("tokens.txt"), held = dir.appendingPathComponent("tokens_test.txt")
        try lines(8).write(to: train, atomically: true, encoding: .utf8)
        try lines(test).write(to: held, atomically: true, encoding: .utf8)
        return "tokens:\(train.path)?test=\(held.path)&length=\(length)&vocab=\(vocab)"
    }

    static func write(_ bytes: [UInt8], _ url: URL) throws { try Data(bytes).write(to: url) }

    /// Runs `python3 args...` in `directory` (the repository root by default).
    static func python(_ args: [String], in directory: URL = NascProcess.root) throws -> NascProcess.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        p.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return NascProcess.Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                                  stderr: String(decoding: e, as: UTF8.self))
    }
}
