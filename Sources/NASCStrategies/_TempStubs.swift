// TEMPORARY, NOT COMMITTED: stand-ins until the strategies branch lands.
import NASCIR
import Foundation
public struct SyntheticLandscape: Sendable {
    let space: SearchSpace; let seed: UInt64
    public init(space: SearchSpace, seed: UInt64 = 0) throws { self.space = space; self.seed = seed }
    public func score(_ a: Architecture) throws -> Double {
        var h = seed &+ 1469598103934665603
        for l in a.labels { for b in "\(l)=\(a[l]!)".utf8 { h = (h ^ UInt64(b)) &* 1099511628211 } }
        return Double(h % 10000) / 10000
    }
}
struct TempRandom: Strategy {
    var rng: SplitMix64; let space: SearchSpace
    var name: String { "random" }
    mutating func ask(count: Int) throws -> [Architecture] { (0..<count).map { _ in space.randomArchitecture(using: &rng) } }
    mutating func tell(_ architecture: Architecture, outcome: TrialOutcome) throws {}
    var isExhausted: Bool { false }
    func saveState() throws -> [UInt8] { Array(String(rng.state).utf8) }
    mutating func restore(state: [UInt8]) throws { rng.state = UInt64(String(decoding: state, as: UTF8.self))! }
}
public enum Strategies {
    public static func make(name: String, space: SearchSpace, seed: UInt64, options: [String: String] = [:]) throws -> any Strategy {
        guard name == "random" else { throw DiagnosticError(.error("unknown strategy '\(name)'")) }
        return TempRandom(rng: SplitMix64(seed: seed), space: space)
    }
}
