// OneShotSearchState: what a one-shot search saves after an epoch (supernet weights and optimizer state, the
// architecture parameters and their optimizer state, random streams, counters) so a killed search continues exactly.
import Foundation
import NASCIR
import NASCRuntime

/// The state of a one-shot search after `epochsDone` epochs. Restoring it into a search built with the same space
/// and configuration makes the rest of the run identical to an uninterrupted one. Floats are kept as bit patterns.
public struct OneShotSearchState: Codable, Sendable, Equatable {
    /// The strategy that saved it (`darts`, `gumbel`, `proxyless`, `spos`, `enas`).
    public var strategy: String
    /// Supernet epochs completed.
    public var epochsDone: Int
    /// Whether the search stopped early (DARTS's skip-connection rule): no more epochs run.
    public var stopped = false
    /// The supernet executor's checkpoint (weights, optimizer and batchnorm state, counters), protobuf-encoded.
    public var executor: Data
    /// Further tensors (architecture parameters and their Adam moments), as float bit patterns.
    public var tensors: [String: [UInt32]] = [:]
    /// Counters, random-generator states and doubles (as bit patterns), by name.
    public var counters: [String: UInt64] = [:]
    /// Opaque sub-states (ENAS's controller), by name.
    public var blobs: [String: Data] = [:]

    /// Creates a state holding `executor`'s checkpoint.
    public init(strategy: String, epochsDone: Int, executor: Executor) throws {
        self.strategy = strategy
        self.epochsDone = epochsDone
        self.executor = Data(try ProtoIO.encode(executor.checkpoint()))
    }

    /// Stores a float tensor.
    public mutating func set(_ name: String, _ values: [Float]) { tensors[name] = values.map(\.bitPattern) }

    /// Stores a double.
    public mutating func set(_ name: String, _ value: Double) { counters[name] = value.bitPattern }

    /// A stored float tensor; an error naming it when missing.
    public func floats(_ name: String) throws -> [Float] {
        guard let t = tensors[name] else { throw Self.error("has no tensor '\(name)'") }
        return t.map(Float.init(bitPattern:))
    }

    /// A stored counter; an error naming it when missing.
    public func counter(_ name: String) throws -> UInt64 {
        guard let c = counters[name] else { throw Self.error("has no counter '\(name)'") }
        return c
    }

    /// A stored non-negative count; an error when missing or out of range.
    public func count(_ name: String) throws -> Int {
        let c = try counter(name)
        guard c <= UInt64(Int32.max) else { throw Self.error("counter '\(name)' is out of range (\(c))") }
        return Int(c)
    }

    /// A stored double.
    public func double(_ name: String) throws -> Double { Double(bitPattern: try counter(name)) }

    /// Restores the executor's checkpoint into `executor`.
    public func restoreExecutor(_ executor: Executor) throws {
        guard case .checkpoint(let c) = try ProtoIO.decodeFile([UInt8](self.executor), file: "checkpoint") else {
            throw Self.error("holds no executor checkpoint")
        }
        do { try executor.restore(c) } catch { throw Self.error("does not fit the supernet: \(error)") }
    }

    /// Checks the state belongs to `strategy` and configuration of `epochs` epochs.
    public func check(strategy: String, epochs: Int) throws {
        guard self.strategy == strategy else { throw Self.error("was saved by strategy \(self.strategy), not \(strategy)") }
        guard epochsDone >= 0, epochsDone <= epochs else { throw Self.error("has \(epochsDone) epochs done of \(epochs)") }
    }

    static func error(_ message: String) -> DiagnosticError {
        DiagnosticError(.error("the one-shot checkpoint \(message)"))
    }
}

/// A one-shot search that can save its state after every epoch and continue from a saved state.
public protocol OneShotResumable: AnyObject {
    /// Called after every supernet epoch (after its log entry) with the number of epochs done.
    var epochEnded: ((Int) throws -> Void)? { get set }
    /// The state after the epochs run so far.
    func saveState() throws -> OneShotSearchState
    /// Restores a saved state; the next run continues after its epochs.
    func restore(_ state: OneShotSearchState) throws
}
