// Budget: parameter and FLOP limits checked on the specialized subnet before a trial is evaluated.
import NASCIR
import NASCPasses

/// Resource limits for architectures (NNI's model-space "budget" filters). A trial outside the budget is
/// rejected before evaluation and recorded as failed with the reason.
public struct Budget: Sendable, Equatable {
    /// At most this many trainable parameters (`nil`: unlimited).
    public var maxParams: Int?
    /// At most this many FLOPs per sample (`nil`: unlimited).
    public var maxFlops: Int?

    /// Creates a budget.
    public init(maxParams: Int? = nil, maxFlops: Int? = nil) { self.maxParams = maxParams; self.maxFlops = maxFlops }

    /// True when there is no limit.
    public var isUnlimited: Bool { maxParams == nil && maxFlops == nil }

    /// The parameters and FLOPs of the subnet `architecture` picks (``SpecializePass/specialize(_:with:)`` then
    /// ``OpCost/graphCost(graph:in:inputTypes:)``); `nil` when shapes are not fixed. Throws for an invalid architecture.
    public static func cost(of architecture: Architecture, in space: ModelSpace) throws -> OpCost.Counts? {
        let fixed = try SpecializePass.specialize(space, with: architecture)
        return OpCost.graphCost(graph: fixed.root, in: fixed)
    }

    /// Why `cost` is outside the budget, or `nil` when it is inside (or there is no limit).
    public func rejection(for cost: OpCost.Counts?) -> String? {
        if isUnlimited { return nil }
        guard let cost else { return "outside the budget: the subnet's cost is unknown (shapes are not fixed)" }
        if let m = maxParams, cost.params > m {
            return "outside the budget: \(Self.group(cost.params)) parameters > limit \(Self.group(m))"
        }
        if let m = maxFlops, cost.flops > m {
            return "outside the budget: \(Self.group(cost.flops)) FLOPs > limit \(Self.group(m))"
        }
        return nil
    }

    /// Checks an architecture: the rejection reason, or `nil` when it fits. Throws for an invalid architecture.
    public func check(_ architecture: Architecture, in space: ModelSpace) throws -> String? {
        if isUnlimited { return nil }
        return rejection(for: try Self.cost(of: architecture, in: space))
    }

    /// `1234567` -> `1,234,567`.
    public static func group(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
