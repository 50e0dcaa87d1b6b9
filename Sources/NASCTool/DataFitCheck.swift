// DataFitCheck: whether a data set can feed a model space — the input type, and for token data every embedding's table.
import NASCData
import NASCIR

extension Dataset {
    /// Checks that these samples fit `space`'s input (``Dataset/check(matches:at:)``, located at `location`, the input's
    /// declaration by default) and, for token data, that every embedding's `vocab` covers the largest id in the data.
    ///
    /// - Throws: ``DiagnosticError``; a vocabulary too small is located at the data file and line of the largest id.
    public func checkFits(_ space: ModelSpace, at location: SourceLocation? = nil) throws {
        guard let input = space.rootGraph?.inputs.first else { return }
        try check(matches: input.type, at: location ?? input.location)
        guard let tokens else { return }
        for graph in space.graphs {
            for n in graph.nodes {
                guard case .embedding(let a) = n.op, let v = a.vocab.constantInt, tokens.largestID >= v else { continue }
                throw DiagnosticError(.error("token id \(tokens.largestID) is not below the vocabulary size \(v) of embedding '\(n.name)' (\(n.location)); "
                                             + "the data has \(tokens.size) ids", at: tokens.largestIDLocation))
            }
        }
    }
}
