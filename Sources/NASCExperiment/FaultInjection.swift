// FaultInjection: test aids that make chosen trials crash, diverge, print garbage or hang (for `nasc trial` tests).
import Foundation
import NASCIR

/// Deliberate failures, selected by trial id or by architecture. These are **test aids** (exposed as hidden-in-spirit
/// `nasc trial` flags documented as such) for exercising the experiment machinery; they never trigger by default.
public struct FaultInjection: Sendable, Equatable {
    /// Trials whose id is a multiple of this abort (SIGABRT) after reporting epoch 1.
    public var crashEvery: Int?
    /// Trials whose id is a multiple of this diverge (NaN) at epoch 2.
    public var nanEvery: Int?
    /// Trials whose id is a multiple of this print a line that is not a trial message and exit 0.
    public var garbageEvery: Int?
    /// Trials whose id is a multiple of this stop responding (sleep for an hour) after epoch 1.
    public var hangEvery: Int?
    /// Trials whose id is a multiple of this report their final result and then do not exit (sleep for an hour).
    public var lingerEvery: Int?
    /// Architectures choosing any of these `label=value` pairs fail with an evaluator error.
    public var failWhen: [String: String]

    /// No faults.
    public init(crashEvery: Int? = nil, nanEvery: Int? = nil, garbageEvery: Int? = nil, hangEvery: Int? = nil,
                failWhen: [String: String] = [:], lingerEvery: Int? = nil) {
        self.crashEvery = crashEvery; self.nanEvery = nanEvery; self.garbageEvery = garbageEvery
        self.hangEvery = hangEvery; self.failWhen = failWhen; self.lingerEvery = lingerEvery
    }

    /// True when nothing is injected.
    public var isEmpty: Bool {
        crashEvery == nil && nanEvery == nil && garbageEvery == nil && hangEvery == nil && lingerEvery == nil && failWhen.isEmpty
    }

    /// True when trial `trialID` must linger after reporting its result (`lingerEvery`).
    public func lingers(trialID: Int?) -> Bool {
        guard let every = lingerEvery, every > 0, let id = trialID else { return false }
        return id % every == 0
    }

    /// What happens to one trial.
    public enum Fault: Sendable, Equatable { case crash, nan, garbage, hang, fail(String) }

    /// The fault for a trial (crash before NaN before garbage before hang before label failures), or `nil`.
    public func fault(trialID: Int?, architecture: Architecture) -> Fault? {
        func hits(_ every: Int?) -> Bool {
            guard let every, every > 0, let id = trialID else { return false }
            return id % every == 0
        }
        if hits(crashEvery) { return .crash }
        if hits(nanEvery) { return .nan }
        if hits(garbageEvery) { return .garbage }
        if hits(hangEvery) { return .hang }
        for (label, value) in failWhen.sorted(by: { $0.key < $1.key }) {
            guard let v = architecture[label] else { continue }
            if Self.describe(v) == value { return .fail("injected failure: \(label) = \(value)") }
        }
        return nil
    }

    static func describe(_ v: DecisionValue) -> String {
        switch v {
        case .candidate(let c): return c
        case .inputs(let xs): return xs.map(String.init).joined(separator: ",")
        case .value(let s): return s.description
        }
    }
}

/// Wraps an evaluator and applies a ``FaultInjection``. `rawOutput` writes a raw stdout line (for the garbage fault).
public struct FaultInjectingEvaluator: TrialEvaluator {
    public var base: any TrialEvaluator
    public var faults: FaultInjection
    public var rawOutput: @Sendable (String) -> Void

    /// Creates the wrapper.
    public init(base: any TrialEvaluator, faults: FaultInjection, rawOutput: @escaping @Sendable (String) -> Void) {
        self.base = base; self.faults = faults; self.rawOutput = rawOutput
    }

    public func evaluate(_ subject: TrialSubject, progress: (Int, Double) throws -> Void) throws -> TrialMetrics {
        guard let fault = faults.fault(trialID: subject.trialID, architecture: subject.architecture) else {
            return try base.evaluate(subject, progress: progress)
        }
        switch fault {
        case .fail(let message): throw TrialFailure(kind: "evaluator", message: message)
        case .garbage:
            rawOutput("this line is not a trial message")
            exit(0)
        case .crash, .nan, .hang:
            // Run the real evaluator; misbehave once epoch 1 has been reported.
            _ = try base.evaluate(subject) { e, m in
                if fault == .nan && e >= 2 {
                    throw TrialFailure(kind: "diverged", message: "loss is NaN at epoch \(e) (injected divergence)")
                }
                try progress(e, m)
                if fault == .crash { abort() }
                if fault == .hang { Thread.sleep(forTimeInterval: 3600) }
            }
            throw TrialFailure(kind: "diverged", message: "loss is NaN after the last epoch (injected divergence)")
        }
    }
}
