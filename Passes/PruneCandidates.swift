// PruneCandidates: the `prune-candidates` pass — the same space with some candidates of its decisions removed
// (P-DARTS' search-space approximation between stages; pruning a space by hand).
import NASCIR

/// Which candidates `prune-candidates` removes: per decision label, candidate names of layer choices and of cells'
/// operations, or depths of repeats.
///
/// Text form (pipeline specs): `prune-candidates{remove=LABEL:NAME|NAME;LABEL:NAME}`, e.g.
/// `prune-candidates{remove=1_0:none|avg_pool_3x3;depth:1|3}`. A label takes the text up to its last `:`.
public struct PruneCandidatesOptions: Sendable, Hashable {
    /// The candidates removed from one decision.
    public struct Removal: Sendable, Hashable {
        /// The decision's label (a layer choice, a cell, or a repeat).
        public var label: String
        /// Candidate names (layer choices, cell operations) or depths written as integers (repeats).
        public var candidates: [String]
        /// Creates a removal.
        public init(label: String, candidates: [String]) { self.label = label; self.candidates = candidates }
    }

    /// The removals, at most one per label.
    public var removals: [Removal]

    /// Creates the options.
    public init(removals: [Removal] = []) { self.removals = removals }

    /// The option keys of the text form.
    public static let keys = ["remove"]

    /// These options updated from a spec's `{...}` group.
    func reading(_ reader: inout PassOptionReader) throws -> PruneCandidatesOptions {
        guard let text = reader.string("remove") else { return self }
        var out = self
        for item in text.split(separator: ";") {
            let item = Pipelines.trimmed(item)
            guard let colon = item.lastIndex(of: ":"), colon != item.startIndex else {
                throw DiagnosticError(.error("option remove=\(text) of '\(reader.owner)': '\(item)' must be LABEL:NAME|NAME"))
            }
            let names = item[item.index(after: colon)...].split(separator: "|", omittingEmptySubsequences: false).map { Pipelines.trimmed($0) }
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw DiagnosticError(.error("option remove=\(text) of '\(reader.owner)': '\(item)' names no candidate"))
            }
            out.removals.append(Removal(label: String(item[..<colon]), candidates: names))
        }
        return out
    }
}

/// Removes candidates from the space's decisions, keeping everything else (node names, locations, the other
/// decisions): a layer choice loses those candidates, a cell those operations (on every edge, including its
/// `input_candidates`), a repeat those depths (and the blocks only removed depths used). Every node with the label
/// is pruned alike (equal labels are one decision). Candidate subgraphs nothing references any more stay in the
/// space until `dce` removes them.
///
/// Errors (located at the decision's node where there is one): an unknown label, a name that is not a candidate of
/// the label, and a removal that would leave a decision without candidates.
public struct PruneCandidates: ConfigurablePass {
    public let name = "prune-candidates"
    public let summary = "remove the given candidates from layer choices, cells and repeats (option remove=LABEL:NAME|NAME;...)"

    /// This run's options.
    public var options: PruneCandidatesOptions

    /// Creates the pass.
    public init(options: PruneCandidatesOptions = PruneCandidatesOptions()) { self.options = options }

    public static let optionKeys = PruneCandidatesOptions.keys

    public func configured(_ reader: inout PassOptionReader) throws -> PruneCandidates {
        PruneCandidates(options: try options.reading(&reader))
    }

    public func run(on space: inout ModelSpace, context: inout PassContext) throws {
        var removed: [String: Set<String>] = [:]
        for r in options.removals { removed[r.label, default: []].formUnion(r.candidates) }
        guard !removed.isEmpty else { return }
        var found: Set<String> = [], failed: Set<String> = []
        let reachable = Set(space.reachableGraphs)
        for gi in space.graphs.indices where reachable.contains(space.graphs[gi].name) {
            for ni in space.graphs[gi].nodes.indices {
                let node = space.graphs[gi].nodes[ni]
                switch node.op {
                case .layerChoice(var lc):
                    guard let gone = removed[lc.label] else { continue }
                    found.insert(lc.label)
                    guard check(gone, among: lc.candidates.map(\.name), label: lc.label, kind: "layer choice", at: node.location, &failed, &context) else { continue }
                    lc.candidates.removeAll { gone.contains($0.name) }
                    space.graphs[gi].nodes[ni].op = .layerChoice(lc)
                case .cell(var cell):
                    guard let gone = removed[cell.label] else { continue }
                    found.insert(cell.label)
                    guard check(gone, among: cell.candidates.map(\.name), label: cell.label, kind: "cell", at: node.location, &failed, &context) else { continue }
                    cell.candidates.removeAll { gone.contains($0.name) }
                    cell.inputCandidates.removeAll { gone.contains($0.name) }
                    space.graphs[gi].nodes[ni].op = .cell(cell)
                case .repeated(var r):
                    guard let gone = removed[r.label] else { continue }
                    found.insert(r.label)
                    guard check(gone, among: r.depths.map(String.init), label: r.label, kind: "repeat", at: node.location, &failed, &context) else { continue }
                    r.depths.removeAll { gone.contains(String($0)) }
                    r.blocks = Array(r.blocks.prefix(r.depths.max() ?? 0))
                    space.graphs[gi].nodes[ni].op = .repeated(r)
                default:
                    continue
                }
            }
        }
        for label in removed.keys.sorted() where !found.contains(label) {
            context.diagnostics.emit(.error("prune-candidates: no layer choice, cell or repeat is labelled '\(label)'"))
        }
    }

    /// Whether `gone` names only candidates of `names` and leaves at least one; reports the problem otherwise.
    /// A label that failed is reported once (`failed`), not at every node that carries it.
    private func check(_ gone: Set<String>, among names: [String], label: String, kind: String, at location: SourceLocation,
                       _ failed: inout Set<String>, _ context: inout PassContext) -> Bool {
        if failed.contains(label) { return false }
        if let bad = gone.sorted().first(where: { !names.contains($0) }) {
            context.diagnostics.error("prune-candidates: '\(bad)' is not a candidate of \(kind) '\(label)' (candidates: \(names.joined(separator: ", ")))",
                                      at: location)
            failed.insert(label)
            return false
        }
        guard names.contains(where: { !gone.contains($0) }) else {
            context.diagnostics.error("prune-candidates: removing \(gone.sorted().joined(separator: ", ")) leaves \(kind) '\(label)' without candidates",
                                      at: location)
            failed.insert(label)
            return false
        }
        return true
    }
}
