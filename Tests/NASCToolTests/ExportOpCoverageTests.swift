// ExportOpCoverageTests: every forward op nasc can train leaves nasc. The test spaces that cover every op of the
// language (TrainabilityPropertyTests) are exported to ONNX for a set of architectures chosen so that every op kind,
// every layer-choice candidate and every input-choice reduction appears at least once, and onnxruntime is compared
// with `nasc predict` at batch 7 and batch 1; every one is also exported to PyTorch and compared in eval mode.
import Foundation
import NASCIR
import NASCTool
import Testing

@Suite(.serialized) struct ExportOpCoverageTests {
    /// Op kinds that never reach an exported subnet: choices and calls are specialized away, losses and
    /// gradients belong to training plans, fused and supernet ops to other pipelines, and `separable_conv2d` is
    /// split into its depthwise and pointwise convolutions by `decompose-separable` and `identity` is folded away by
    /// canonicalization (their candidates are checked instead).
    static let notExported: Set<OpKind> = [.call, .layerChoice, .inputChoice, .repeated, .cell, .softmaxCrossEntropy,
                                           .nllLoss, .mseLoss, .fusedConv2d, .weightedSum, .switchOp, .separableConv2d,
                                           .identity]

    /// What an exported architecture exercises: its subnet's op kinds and its layer-choice candidates.
    static func features(_ space: ModelSpace, _ search: SearchSpace, _ arch: Architecture) throws -> Set<String> {
        let weights = try ExportSupport.weights(space, arch, seed: 3)
        let model = try ExportableModel(space: space, architecture: arch, weights: weights, weightsFile: "w.pb")
        var out = Set(model.graph.nodes.map { "op:" + $0.op.kind.rawValue })
        for d in search.decisions {
            if case .layerChoice = d.kind, case .candidate(let c) = arch[d.label] { out.insert("candidate:\(d.label)=\(c)") }
        }
        return out
    }

    /// Architectures of `space` (drawn with a fixed seed, only those nasc compiles) chosen greedily until no
    /// draw adds a feature; returns them with the features they cover together.
    static func covering(_ space: ModelSpace, draws: Int) throws -> ([Architecture], Set<String>) {
        let search = try SearchSpace(space)
        var rng = SplitMix64(seed: 29)
        var candidates: [(Architecture, Set<String>)] = []
        for _ in 0..<draws {
            let arch = search.randomArchitecture(using: &rng)
            if let f = try? features(space, search, arch) { candidates.append((arch, f)) }
        }
        var chosen: [Architecture] = [], covered = Set<String>()
        while let best = candidates.max(by: { $0.1.subtracting(covered).count < $1.1.subtracting(covered).count }),
              !best.1.isSubset(of: covered) {
            chosen.append(best.0)
            covered.formUnion(best.1)
        }
        return (chosen, covered)
    }

    @Test func everyOpExportsAndMatchesOnnxRuntime() throws {
        let dir = try NascProcess.tempDir()
        var ops = Set<String>(), worst = 0.0, worstTorch = 0.0, exported = 0
        for (name, source) in TrainabilityPropertyTests.written {
            let url = dir.appendingPathComponent("\(name).nas")
            try source.write(to: url, atomically: true, encoding: .utf8)
            let space = try ExportSupport.space(url)
            let (archs, covered) = try Self.covering(space, draws: 120)
            // Every candidate of every layer choice is among the exported architectures.
            for d in try SearchSpace(space).decisions {
                guard case .layerChoice(let cs) = d.kind else { continue }
                for c in cs where !covered.contains("candidate:\(d.label)=\(c)") {
                    Issue.record("\(name): no exported architecture chooses \(d.label)=\(c)")
                }
            }
            ops.formUnion(covered.filter { $0.hasPrefix("op:") }.map { String($0.dropFirst(3)) })
            // Every architecture also goes to PyTorch; one Python process compares them all.
            var torchArgs: [String] = []
            for (k, arch) in archs.enumerated() {
                let sub = dir.appendingPathComponent("\(name)_\(k)")
                try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
                let line = try ModelExportTests().compare(url, space, arch, seed: UInt64(k + 1), torch: false, in: sub)
                print("export \(name) arch \(k): \(line)")
                for m in line.matches(of: /"max_error[a-z0-9_]*": ([0-9.e+-]+)/) { worst = max(worst, Double(m.1) ?? .infinity) }
                let torchDir = sub.appendingPathComponent("torch")
                let t = try NascProcess.run(["export", url.path, "--arch", sub.appendingPathComponent("arch.pb").path,
                                             "--weights", sub.appendingPathComponent("w.pb").path, "--format", "pytorch", "-o", torchDir.path])
                #expect(t.code == 0, "\(t.stderr)")
                torchArgs += [torchDir.path, sub.appendingPathComponent("inputs.npy").path, sub.appendingPathComponent("p7.npy").path]
                exported += 1
            }
            let torch = try ExportSupport.python(["scripts/torch-compare.py"] + torchArgs)
            #expect(torch.code == 0, "\(name): \(torch.stdout) \(torch.stderr)")
            print("export \(name) pytorch: \(torch.stdout.split(separator: "\n").count) architectures")
            for m in torch.stdout.matches(of: /"max_error": ([0-9.e+-]+)/) { worstTorch = max(worstTorch, Double(m.1) ?? .infinity) }
        }
        let expected = OpKind.allCases.filter { !$0.isBackward && !Self.notExported.contains($0) }.map(\.rawValue)
        for op in expected where !ops.contains(op) { Issue.record("no exported architecture contains '\(op)'") }
        print("export op coverage: \(exported) architectures, \(ops.count) op kinds, max error onnxruntime \(worst), PyTorch \(worstTorch)")
        #expect(worst <= 1e-5 && worstTorch <= 1e-5)
    }
}
