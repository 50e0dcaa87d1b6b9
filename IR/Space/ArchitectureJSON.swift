// ArchitectureJSON: reads and writes architectures in NNI's JSON forms (v1 fixed_arch, v3 sample, tuner).

/// The JSON forms of an architecture NNI uses.
public enum ArchitectureFormat: String, Hashable, Sendable, CaseIterable {
    /// NNI 1.x `fixed_arch` / `apply_fixed_architecture` file (`Mutator.export()`): a layer choice is a
    /// candidate name, an index, a list of one of those, or a one-hot boolean list; an input choice is an
    /// index, a list of indices, or a multi-hot boolean list; one chosen input is written unwrapped.
    case nniV1 = "nni-v1"
    /// NNI 3.0 `nni.nas.space` sample `{label: value}`: a layer choice is its candidate key (name, or
    /// index for list candidates), an input choice a list of indices (always a list), a value choice its
    /// value, a repeat its depth.
    case nniV3 = "nni-v3"
    /// NNI tuner parameters for a classic-NAS space: `{label: {"_value": ..., "_idx": ...}}`.
    case tuner
}

/// Reading and writing architectures as JSON.
///
/// Reading is lenient and auto-detects the form: each label's JSON value is interpreted according to the
/// kind of its decision, so every v1, v3 and tuner form (and mixtures, as tuners write plain values for
/// value choices) is understood. Every label of the space must be present and no other label may appear.
/// Errors name the label, say what was expected and point at the line of the label in the file.
public enum ArchitectureJSON {
    /// Parses an architecture and validates it against `space`.
    public static func read(_ text: String, space: SearchSpace, file: String = "<architecture>") throws -> Architecture {
        try parse(text, space: space, file: file).architecture
    }

    /// Which form `text` is written in (tuner if any value is an object; v1 if any value only v1 allows —
    /// a boolean list, a layer choice given as a list, or an input choice given as a bare index; else v3).
    public static func detectFormat(_ text: String, space: SearchSpace, file: String = "<architecture>") throws -> ArchitectureFormat {
        try parse(text, space: space, file: file).format
    }

    /// Writes `arch` (validated first) in `format`, deterministically: sorted keys, ints as ints; on one line when
    /// `compact` (for JSON-lines output).
    public static func write(_ arch: Architecture, space: SearchSpace, format: ArchitectureFormat = .nniV3,
                             compact: Bool = false) throws -> String {
        try space.validate(arch)
        var out: [String: JSONValue] = [:]
        for d in space.decisions {
            guard let v = arch[d.label] else { continue }
            out[d.label] = encode(v, kind: d.kind, format: format)
        }
        return compact ? JSONValue.object(out).compact : JSONValue.object(out).serialized()
    }

    // MARK: - Writing

    static func encode(_ v: DecisionValue, kind: DecisionKind, format: ArchitectureFormat) -> JSONValue {
        let plain: JSONValue
        switch v {
        case .candidate(let name): plain = .string(name)
        case .inputs(let xs):
            plain = format == .nniV1 && xs.count == 1 ? .int(xs[0]) : .array(xs.map { .int($0) })
        case .value(let s):
            if case .repeatDepth = kind, let d = s.asInt { plain = .int(d) } else { plain = JSONValue(s) }
        }
        guard format == .tuner else { return plain }
        let idx: JSONValue
        switch (kind, v) {
        case (.inputChoice, .inputs(let xs)): idx = .array(xs.map { .int($0) })
        default: idx = kind.rank(of: v).map { .int(Int($0)) } ?? .null
        }
        return .object(["_value": plain, "_idx": idx])
    }

    // MARK: - Reading

    struct Parsed {
        var architecture: Architecture
        var format: ArchitectureFormat
    }

    static func parse(_ text: String, space: SearchSpace, file: String) throws -> Parsed {
        var parser = JSONParser(text, file: file)
        let root = try parser.parse()
        guard case .object(let members) = root else {
            throw DiagnosticError(Diagnostic(.error, at: SourceLocation(file: file, line: 1, column: 1),
                "an architecture must be a JSON object {label: value}, got \(root.kindName)"))
        }
        var engine = DiagnosticEngine()
        var arch = Architecture()
        var sawTuner = false, sawV1 = false
        for key in members.keys.sorted() {
            let loc = parser.keyLocations[key] ?? SourceLocation(file: file)
            guard let d = space.decision(key) else {
                engine.error("architecture has unknown label '\(key)'", at: loc,
                             hint: space.nearestLabel(to: key).map { "did you mean '\($0)'?" })
                continue
            }
            var json = members[key]!
            var index: JSONValue?
            if case .object(let o) = json {
                sawTuner = true
                let extra = o.keys.filter { $0 != "_value" && $0 != "_idx" }.sorted()
                if !extra.isEmpty || o.isEmpty {
                    engine.error("label '\(key)': a tuner parameter must be {\"_value\": ..., \"_idx\": ...}, got \(json.compact)", at: loc)
                    continue
                }
                index = o["_idx"]
                json = o["_value"] ?? .null
            }
            do {
                let (value, v1Only) = try decode(json, index: index, kind: d.kind, label: key)
                if v1Only { sawV1 = true }
                arch[key] = value
            } catch let e as DecodeError {
                engine.error("label '\(key)': \(e.message)", at: loc)
            }
        }
        for d in space.decisions where members[d.label] == nil {
            engine.error("architecture has no value for '\(d.label)' (\(d.kind.summary))", at: SourceLocation(file: file))
        }
        // Values that decoded are validated too (labels already reported as missing are skipped), and
        // validation errors point at the label in the file rather than at the space.
        var all = engine.diagnostics
        for p in space.validationProblems(arch) where arch[p.label] != nil {
            var d = p.diagnostic
            if let loc = parser.keyLocations[p.label] { d.location = loc }
            all.append(d)
        }
        if !all.isEmpty {
            let ordered = all.enumerated().sorted { ($0.element.location, $0.offset) < ($1.element.location, $1.offset) }
            throw DiagnosticError(ordered.map(\.element))
        }
        return Parsed(architecture: arch, format: sawTuner ? .tuner : sawV1 ? .nniV1 : .nniV3)
    }

    struct DecodeError: Error { var message: String }

    /// Interprets one label's JSON value for a decision kind; also says whether only v1 writes it so.
    static func decode(_ json: JSONValue, index: JSONValue?, kind: DecisionKind, label: String) throws -> (DecisionValue, Bool) {
        switch kind {
        case .layerChoice(let names):
            let expected = "expected a candidate name (\(names.joined(separator: ", "))), an index below \(names.count), or a one-hot list"
            if let index, case .int(let i) = index {
                guard names.indices.contains(i) else { throw DecodeError(message: "_idx \(i) is out of range; \(expected)") }
                if json != .null, try decode(json, index: nil, kind: kind, label: label).0 != .candidate(names[i]) {
                    let shown: String
                    if case .string(let v) = json { shown = "'\(v)'" } else { shown = json.compact }
                    throw DecodeError(message: "_value \(shown) does not match _idx \(i), which is '\(names[i])'")
                }
                return (.candidate(names[i]), false)
            }
            switch json {
            case .string(let s): return (.candidate(s), false)
            case .int(let i):
                guard names.indices.contains(i) else { throw DecodeError(message: "index \(i) is out of range; \(expected)") }
                return (.candidate(names[i]), false)
            case .array(let xs):
                if let hot = multiHot(xs, count: names.count) {
                    guard hot.count == 1 else { throw DecodeError(message: "a one-hot list must have exactly one true entry; got \(json.compact)") }
                    return (.candidate(names[hot[0]]), true)
                }
                guard xs.count == 1 else { throw DecodeError(message: "a layer choice takes exactly one candidate, got \(json.compact)") }
                let (v, _) = try decode(xs[0], index: nil, kind: kind, label: label)
                return (v, true)
            default: throw DecodeError(message: "\(expected), got \(json.compact)")
            }
        case .inputChoice(let n, _):
            let expected = "expected a list of input indices below \(n) (or a multi-hot list of \(n) booleans)"
            let source = index ?? json
            if index != nil, json != .null {
                // `_idx` wins; `_value` must name the same inputs.
                let fromIndex = try decode(source, index: nil, kind: kind, label: label).0
                let fromValue = try decode(json, index: nil, kind: kind, label: label).0
                guard fromIndex == fromValue else {
                    throw DecodeError(message: "_value \(json.compact) does not match _idx \(source.compact)")
                }
                return (fromIndex, false)
            }
            switch source {
            case .int(let i): return (.inputs([i]), true)
            case .array(let xs):
                if let hot = multiHot(xs, count: n) { return (.inputs(hot), true) }
                var out: [Int] = []
                for x in xs {
                    guard case .int(let i) = x else { throw DecodeError(message: "\(expected), got \(json.compact)") }
                    out.append(i)
                }
                // The chosen inputs are a set (a concat joins them in ascending order), so a list must be ascending:
                // an unsorted one is rejected by validation rather than silently reordered.
                return (.inputs(out), false)
            default: throw DecodeError(message: "\(expected), got \(source.compact)")
            }
        case .valueChoice(let values):
            let expected = "expected one of the values \(values.map(\.description).joined(separator: ", "))"
            if let index, case .int(let i) = index {
                guard values.indices.contains(i) else { throw DecodeError(message: "_idx \(i) is out of range; \(expected)") }
                if json != .null, try decode(json, index: nil, kind: kind, label: label).0 != .value(values[i]) {
                    throw DecodeError(message: "_value \(json.compact) does not match _idx \(i), which is \(values[i])")
                }
                return (.value(values[i]), false)
            }
            let s: Scalar
            switch json {
            case .int(let i): s = .int(i)
            case .double(let d): s = .float(d)
            default: throw DecodeError(message: "\(expected), got \(json.compact)")
            }
            // Keep the declared spelling (`32` for a declared int even if written `32.0`).
            guard let declared = values.first(where: { $0.asDouble == s.asDouble }) else {
                throw DecodeError(message: "\(s) is not a value; \(expected)")
            }
            return (.value(declared), false)
        case .repeatDepth(let depths):
            let expected = "expected a depth among \(depths.map(String.init).joined(separator: ", "))"
            if let index, case .int(let i) = index {
                guard depths.indices.contains(i) else { throw DecodeError(message: "_idx \(i) is out of range; \(expected)") }
                if json != .null, try decode(json, index: nil, kind: kind, label: label).0 != .value(.int(depths[i])) {
                    throw DecodeError(message: "_value \(json.compact) does not match _idx \(i), which is \(depths[i])")
                }
                return (.value(.int(depths[i])), false)
            }
            switch json {
            case .int(let d): return (.value(.int(d)), false)
            case .double(let d) where d.rounded() == d && abs(d) < 1e15: return (.value(.int(Int(d))), false)
            default: throw DecodeError(message: "\(expected), got \(json.compact)")
            }
        }
    }

    /// The chosen positions of a boolean (or 0.0/1.0 float) list of exactly `count` entries, else `nil`.
    static func multiHot(_ xs: [JSONValue], count: Int) -> [Int]? {
        guard xs.count == count, !xs.isEmpty else { return nil }
        var out: [Int] = []
        let allBool = xs.allSatisfy { if case .bool = $0 { return true } else { return false } }
        let allFloat = xs.allSatisfy { if case .double(let d) = $0 { return d == 0 || d == 1 } else { return false } }
        guard allBool || allFloat else { return nil }
        for (i, x) in xs.enumerated() {
            switch x {
            case .bool(true): out.append(i)
            case .double(let d) where d == 1: out.append(i)
            default: break
            }
        }
        return out
    }
}
