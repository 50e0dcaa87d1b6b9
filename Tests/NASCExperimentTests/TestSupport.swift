// TestSupport: a small space, a deterministic test strategy, a score table and temp directories for experiment tests.
import Foundation
import NASCIR
import NASCStrategies
@testable import NASCExperiment

enum Fixtures {
    /// 3 widths x 2 activations = 6 architectures, with fixed shapes (so costs are known).
    static let spaceText = """
    space "t" version 1 root @main
    value_choice "width" [4, 8, 16]
    graph @main(%x: f32[N,4]) {
      %a = layer_choice(%x) {label = "act", candidates = [relu = @r, tanh = @t]}
      %h = linear(%a) {out = $width}
      %o = linear(%h) {out = 2}
      return %o
    }
    graph @r(%x: f32[N,4]) {
      %y = relu(%x)
      return %y
    }
    graph @t(%x: f32[N,4]) {
      %y = tanh(%x)
      return %y
    }
    """

    static func space() throws -> ModelSpace { try TextIR.parse(spaceText, file: "t.nir") }

    static func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("nasc-exp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.path
    }

    static func config(maxTrials: Int? = nil, concurrency: Int = 1, maxDuration: Double? = nil) -> ExperimentConfig {
        ExperimentConfig(spacePath: "t.nir", spaceHash: Experiment.hash(Array(spaceText.utf8)), strategy: "sequential",
                         seed: 7, concurrency: concurrency, maxTrials: maxTrials, maxDuration: maxDuration,
                         evaluatorArguments: ["--benchmark", "synthetic:1"])
    }
}

/// Proposes the space's architectures in enumeration order, cycling; its state is the next index and the outcomes seen.
struct SequentialStrategy: Strategy {
    let archs: [Architecture]
    var next = 0
    var told: [String] = []
    init(space: SearchSpace) { archs = Array(space.allArchitectures()) }
    var name: String { "sequential" }
    mutating func ask(count: Int) throws -> [Architecture] {
        (0..<count).map { _ in defer { next += 1 }; return archs[next % archs.count] }
    }
    mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {
        switch outcome {
        case .succeeded(let m): told.append("ok \(m)")
        case .failed(let r): told.append("fail \(r)")
        }
    }
    var isExhausted: Bool { false }
    func saveState() throws -> [UInt8] {
        Array(try JSONEncoder().encode(State(next: next, told: told)))
    }
    mutating func restore(state: [UInt8]) throws {
        let s = try JSONDecoder().decode(State.self, from: Data(state))
        next = s.next; told = s.told
    }
    struct State: Codable { var next: Int; var told: [String] }
}

/// Writes an executable shell script that acts as a trial process; `$5` is the trial id.
func fakeTrial(_ dir: String, _ body: String) throws -> String {
    let path = dir + "/fake-trial.sh"
    try ("#!/bin/sh\nid=$5\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
    return path
}

func sequentialFactory(_ c: ExperimentConfig, _ s: ModelSpace, _ ss: SearchSpace) throws -> any Strategy { SequentialStrategy(space: ss) }
