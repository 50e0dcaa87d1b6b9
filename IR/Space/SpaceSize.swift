// SpaceSize: the exact number of architectures of a search space, and its order of magnitude.
import BigInt
import Foundation

extension SearchSpace {
    /// The exact number of architectures: the product of every decision's ``DecisionKind/choiceCount``.
    ///
    /// This is also the count of distinct architectures as NNI counts them: decisions nested inside
    /// candidates that an architecture does not choose are still counted (NNI's space is the product of all
    /// its mutables), so two architectures that differ only in an unused decision count twice.
    /// An empty space has exactly one architecture (the fixed model).
    public var size: BigInt {
        decisions.reduce(BigInt(1)) { $0 * $1.kind.choiceCount }
    }

    /// `log10(size)`, computed per decision so it stays finite for astronomically large spaces
    /// (`-infinity` when some decision has no value).
    public var log10Size: Double {
        decisions.reduce(0.0) { $0 + Self.log10(of: $1.kind.choiceCount) }
    }

    /// `log10` of a positive BigInt, also beyond Double's range.
    static func log10(of x: BigInt) -> Double {
        guard x > 0 else { return -Double.infinity }
        let bits = x.bitWidth
        if bits < 1000 { return Foundation.log10(Double(x)) }
        // Keep the top 64 bits and add the dropped exponent.
        let shift = bits - 64
        return Foundation.log10(Double(x >> shift)) + Double(shift) * Foundation.log10(2.0)
    }
}
