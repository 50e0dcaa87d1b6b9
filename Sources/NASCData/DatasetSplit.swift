// DatasetSplit: a seeded train/validation split of a data set, by fraction or by count.
import NASCIR

/// How many samples go to the validation side of a split.
public enum SplitSize: Sendable, Hashable {
    /// A fraction of the samples in `(0, 1)`, rounded to the nearest count.
    case fraction(Double)
    /// An exact number of samples.
    case count(Int)
}

extension Dataset {
    /// Splits the data set into training and validation parts by a seeded random permutation.
    /// Both parts keep the original sample order; the same seed always gives the same split.
    ///
    /// - Throws: ``DiagnosticError`` when the requested size would leave either part empty.
    public func split(validation size: SplitSize, seed: UInt64) throws -> (train: Dataset, validation: Dataset) {
        let loc = SourceLocation(file: source)
        let nVal: Int
        switch size {
        case .fraction(let f):
            guard f > 0, f < 1 else {
                throw DiagnosticError(.error("validation fraction must be between 0 and 1 (exclusive), got \(f)", at: loc))
            }
            nVal = Int((Double(count) * f).rounded())
        case .count(let n):
            nVal = n
        }
        guard nVal > 0, nVal < count else {
            var what = "a validation split of \(nVal) samples"
            if case .fraction(let f) = size { what = "a validation fraction of \(f) (\(nVal) samples)" }
            throw DiagnosticError(.error("\(what) leaves an empty part of a \(count)-sample data set; "
                                         + "give --validation 0 to train on every sample without a validation split", at: loc))
        }
        var rng = SeededGenerator(seed: seed, stream: 0x5EA1)
        let perm = rng.permutation(count)
        let val = perm[..<nVal].sorted()
        let train = perm[nVal...].sorted()
        return (subset(train), subset(val))
    }
}
