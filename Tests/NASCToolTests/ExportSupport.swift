// ExportSupport: fixtures for the weights, predict and export tests — example spaces, sampled architectures, weights.
import Foundation
import NASCIR
import NASCTool

enum ExportSupport {
    static let examples = NascProcess.root.appendingPathComponent("examples")

    /// Every example space file.
    static func exampleSpaces() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: examples, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "nas" && !sequenceSpaces.contains($0.lastPathComponent) }.sorted { $0.path < $1.path }
    }

    /// Example spaces over token ids: ONNX and PyTorch export of the sequence ops is not written yet (issue 16), so
    /// they are left out of the export comparisons (`ExportOpCoverageTests.notExported` names the ops).
    static let sequenceSpaces: Set<String> = ["fortunes.nas"]

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
        if let input = space.rootGraph?.inputs.first, let channels = input.type.shape.dropFirst().first?.value {
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
