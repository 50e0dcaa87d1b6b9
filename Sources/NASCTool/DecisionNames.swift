// DecisionNames: display names of a decision's candidates and of an architecture's choices (TensorBoard tags,
// HParams values, the HTML report, progress lines).
import NASCIR
import NASCBoard
import NASCExperiment

/// How decisions and their candidates are named for people.
public enum DecisionNames {
    /// One name per candidate, in candidate order: LayerChoice names, input indices (`0`, `1`, ...), values, depths.
    public static func candidates(_ d: Decision) -> [String] {
        switch d.kind {
        case .layerChoice(let names): return names
        case .inputChoice(let n, _): return (0..<n).map(String.init)
        case .valueChoice(let values): return values.map(\.description)
        case .repeatDepth(let depths): return depths.map(String.init)
        }
    }

    /// The chosen value as text: `conv3x3`, `[0,2]`, `64`.
    public static func value(_ v: DecisionValue) -> String {
        switch v {
        case .candidate(let c): return c
        case .inputs(let i): return "[" + i.map(String.init).joined(separator: ",") + "]"
        case .value(let s): return s.description
        }
    }

    /// The indices of the candidates a value picks (one for layer and value choices and depths; the chosen inputs).
    public static func chosenIndices(_ v: DecisionValue, of d: Decision) -> [Int] {
        switch (v, d.kind) {
        case (.candidate(let c), .layerChoice(let names)): return names.firstIndex(of: c).map { [$0] } ?? []
        case (.inputs(let i), _): return i
        case (.value(let s), .valueChoice(let values)): return values.firstIndex(of: s).map { [$0] } ?? []
        case (.value(let s), .repeatDepth(let depths)): return s.asInt.flatMap { depths.firstIndex(of: $0) }.map { [$0] } ?? []
        default: return []
        }
    }

    /// `op1=conv3x3 in2=[0,1] width=64`, in decision order, shortened to about `limit` characters.
    public static func short(_ arch: Architecture, space: SearchSpace, limit: Int = 60) -> String {
        var parts: [String] = []
        for d in space.decisions {
            guard let v = arch[d.label] else { continue }
            parts.append("\(d.label)=\(value(v))")
        }
        let s = parts.joined(separator: " ")
        return s.count > limit ? String(s.prefix(max(limit - 3, 0))) + "..." : s
    }

    /// The architecture as HParams values: numbers for value choices and depths, text otherwise.
    public static func hparams(_ arch: Architecture, space: SearchSpace) -> [String: HParamValue] {
        var out: [String: HParamValue] = [:]
        for d in space.decisions {
            guard let v = arch[d.label] else { continue }
            if case .value(let s) = v { out[d.label] = .number(s.asDouble) } else { out[d.label] = .string(value(v)) }
        }
        return out
    }

    /// Every decision as an HParams domain.
    public static func hparamInfos(_ space: SearchSpace) -> [HParamsSummary.Info] {
        space.decisions.map { d in
            switch d.kind {
            case .layerChoice(let names): return .init(name: d.label, values: names.map { .string($0) })
            case .valueChoice(let values): return .init(name: d.label, values: values.map { .number($0.asDouble) })
            case .repeatDepth(let depths): return .init(name: d.label, values: depths.map { .number(Double($0)) })
            case .inputChoice: return .init(name: d.label, values: [])
            }
        }
    }
}

extension ExperimentTool {
    /// A function giving a stored trial's architecture in short form (``DecisionNames/short(_:space:limit:)``).
    public static func architectureSummary(_ store: ExperimentStore) -> (Int) -> String? {
        guard let space = try? SearchSpace(try store.space()) else { return { _ in nil } }
        return { id in
            guard let t = try? store.trial(id), let arch = try? ArchitectureJSON.read(t.architectureJSON, space: space) else { return nil }
            return DecisionNames.short(arch, space: space)
        }
    }
}
