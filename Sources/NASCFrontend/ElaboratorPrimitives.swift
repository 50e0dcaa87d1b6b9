// ElaboratorPrimitives: the built-in functions of the language (choice, layer_choice, input_choice, repeat, cell,
// channels, min, max) and label generation.
import NASCIR

extension Elaborator {
    /// A label derived from the structural path (enclosing instances, the bound name, the attribute), never
    /// from line numbers, so an exported architecture stays valid when unrelated lines change.
    func generatedLabel(_ ctx: ElabContext, kind: String) -> String {
        var leaf = ctx.binding ?? kind
        if let a = ctx.attribute { leaf += "_" + a }
        let base = (ctx.path + [leaf]).joined(separator: "/")
        if labels[base] == nil { return base }
        var i = 1
        while labels["\(base)_\(i)"] != nil { i += 1 }
        return "\(base)_\(i)"
    }

    /// Records a label; a label used again must be the same kind with compatible candidates.
    func registerLabel(_ label: String, kind: String, signature: String, at loc: SourceLocation) throws {
        if let prev = labels[label] {
            if prev.kind != kind {
                throw error("label '\(label)' is already used by a \(prev.kind)", at: loc,
                            hint: "labels name one decision; use a different label for this \(kind)",
                            notes: [Diagnostic(.note, at: prev.location, "'\(label)' first used here")])
            }
            if prev.signature != signature {
                throw error("duplicate label '\(label)' with incompatible candidates: \(signature) here, \(prev.signature) before", at: loc,
                            hint: "equal labels are one decision and need the same candidates; rename one of them",
                            notes: [Diagnostic(.note, at: prev.location, "'\(label)' first used here with \(prev.signature)")])
            }
            return
        }
        labels[label] = (kind, signature, loc)
    }

    func labelArgument(_ args: inout [Argument], scope: Scope, ctx: ElabContext) throws -> String? {
        if let i = args.firstIndex(where: { $0.label == "label" }) ?? args.firstIndex(where: { a in
            guard a.label == nil else { return false }
            switch a.value.kind {
            case .string: return true
            case .binary(.add, _, _):
                // Side-effect free forms only: a name, or a string literal joined with something (at any depth:
                // `"layer_" + i + "/skip_" + j`).
                guard Self.joinsStringLiteral(a.value) else { return false }
                fallthrough
            case .name:
                // Side-effect free forms only: a name, or a string literal joined with something.
                if case .string? = try? eval(a.value, scope: scope, ctx: ctx) { return true }
                return false
            default: return false
            } }) {
            let a = args.remove(at: i)
            guard case .string(let s) = try eval(a.value, scope: scope, ctx: ctx) else {
                throw error("a label must be a string", at: a.value.location)
            }
            guard !s.isEmpty else { throw error("a label must not be empty", at: a.value.location) }
            return s
        }
        return nil
    }

    /// Whether `e` is a string literal, or a chain of `+` with a string literal among its terms.
    static func joinsStringLiteral(_ e: Expr) -> Bool {
        switch e.kind {
        case .string: return true
        case .binary(.add, let x, let y): return joinsStringLiteral(x) || joinsStringLiteral(y)
        default: return false
        }
    }

    func take(_ name: String, from args: inout [Argument]) -> Argument? {
        guard let i = args.firstIndex(where: { $0.label == name }) else { return nil }
        return args.remove(at: i)
    }

    func rejectExtra(_ args: [Argument], primitive: String, accepted: String) throws {
        if let a = args.first {
            if let l = a.label {
                throw error("unknown argument '\(l)' for \(primitive)", at: a.labelLocation, hint: "\(primitive) accepts: \(accepted)")
            }
            throw error("unexpected argument for \(primitive)", at: a.value.location, hint: "\(primitive) accepts: \(accepted)")
        }
    }

    func constantInt(_ e: Expr, scope: Scope, ctx: ElabContext, what: String) throws -> Int {
        let v = try number(e, scope: scope, ctx: ctx, what: what)
        if let l = v.labels.first {
            throw error("value choice '\(l)' cannot be used for \(what): it must be fixed when the space is compiled", at: e.location)
        }
        guard case .int(let i)? = v.constant else { throw error("\(what) must be an integer", at: e.location) }
        return i
    }

    /// `choice("label", [values])` arguments, without registering anything.
    /// The most values one `choice(...)` may list (every value is a candidate the shape checker and the
    /// strategies consider).
    static let maxChoiceValues = 100_000

    func choiceArguments(_ argsIn: [Argument], at loc: SourceLocation, scope: Scope, ctx: ElabContext) throws -> (String?, [Scalar], SourceLocation) {
        var args = argsIn
        let label = try labelArgument(&args, scope: scope, ctx: ctx)
        var valueExprs: [Expr] = []
        var valuesLoc = loc
        if let v = take("values", from: &args) {
            guard case .list(let items) = v.value.kind else { throw error("'values' must be a list like [16, 32, 64]", at: v.value.location) }
            valueExprs = items; valuesLoc = v.value.location
        } else if args.count == 1, args[0].label == nil, case .list(let items) = args[0].value.kind {
            valueExprs = items; valuesLoc = args[0].value.location; args.removeAll()
        } else {
            while let i = args.firstIndex(where: { $0.label == nil }) { valueExprs.append(args.remove(at: i).value) }
        }
        try rejectExtra(args, primitive: "choice", accepted: "a label string and a list of values")
        guard !valueExprs.isEmpty else {
            throw error("choice needs at least one value", at: valuesLoc, hint: "e.g. choice(\"width\", [16, 32, 64])")
        }
        guard valueExprs.count <= Self.maxChoiceValues else {
            throw error("choice has \(valueExprs.count) values, more than the limit of \(Self.maxChoiceValues) values per choice", at: valuesLoc)
        }
        var values: [Scalar] = []
        var seen = Set<Scalar>()  // duplicates in linear time (a list search made long lists quadratic)
        values.reserveCapacity(valueExprs.count)
        for e in valueExprs {
            let v = try number(e, scope: scope, ctx: ctx, what: "a choice value")
            guard let c = v.constant else {
                throw error("choice values must be constants", at: e.location, hint: "arithmetic on a value choice goes outside: 'w * 2'")
            }
            if !seen.insert(c).inserted { throw error("value \(c) appears twice in the choice", at: e.location) }
            values.append(c)
        }
        return (label, values, valuesLoc)
    }

    func evalPrimitive(_ name: String, args argsIn: [Argument], body: BraceBody?, at loc: SourceLocation,
                       scope: Scope, ctx: ElabContext) throws -> Value {
        var args = argsIn
        if body != nil && !["layer_choice", "repeat", "cell"].contains(name) {
            throw error("\(name) takes no '{ ... }' body", at: body!.location)
        }
        switch name {
        case "choice":
            let (given, values, _) = try choiceArguments(args, at: loc, scope: scope, ctx: ctx)
            let label = given ?? generatedLabel(ctx, kind: "choice")
            try declareValueChoice(label, values: values, at: loc)
            return .number(.choice(label))
        case "channels":
            guard args.count == 1, args[0].label == nil else { throw error("channels takes one tensor: channels(x)", at: loc) }
            guard case .tensor(let t) = try eval(args[0].value, scope: scope, ctx: ctx) else {
                throw error("channels takes a tensor", at: args[0].value.location)
            }
            guard let c = t.channels else {
                throw error("the channel count of '\(t.ref.node)' is not known here: it depends on a choice or follows a flatten",
                            at: args[0].value.location, hint: "pass the channel count as a block parameter instead")
            }
            return .number(c)
        case "range":
            let bounds = try args.map { a -> Int in
                if let l = a.label { throw error("range takes no named arguments ('\(l)')", at: a.labelLocation) }
                return try constantInt(a.value, scope: scope, ctx: ctx, what: "a range bound")
            }
            let (lo, hi): (Int, Int)
            switch bounds.count {
            case 1: (lo, hi) = (0, bounds[0])
            case 2: (lo, hi) = (bounds[0], bounds[1])
            default: throw error("range takes one or two integers: range(n) or range(a, b)", at: loc)
            }
            let (span, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, span <= 1024 else { throw error("range(\(lo), \(hi)) is too long (at most 1024 elements)", at: loc) }
            return .list(lo < hi ? (lo..<hi).map { .number(.int($0)) } : [])
        case "len":
            guard args.count == 1, args[0].label == nil else { throw error("len takes one list: len(xs)", at: loc) }
            switch try eval(args[0].value, scope: scope, ctx: ctx) {
            case .list(let xs): return .number(.int(xs.count))
            case .tuple(let ts): return .number(.int(ts.count))
            case .poisoned: throw ElaborationFailure()
            case let v: throw error("len takes a list, not \(v.describe)", at: args[0].value.location)
            }
        case "map":
            guard args.count == 2, args.allSatisfy({ $0.label == nil }) else {
                throw error("map takes a list of tensors and a layer: map(xs, relu)", at: loc)
            }
            let lv = try eval(args[0].value, scope: scope, ctx: ctx)
            let fv = try eval(args[1].value, scope: scope, ctx: ctx)
            guard case .layer(let f) = fv else {
                if case .poisoned = fv { throw ElaborationFailure() }
                throw error("map's second argument must be a layer, not \(fv.describe)", at: args[1].value.location)
            }
            let items: [Value]
            switch lv {
            case .list(let xs): items = xs
            case .tuple(let ts): items = ts.map { .tensor($0) }
            case .poisoned: throw ElaborationFailure()
            default: throw error("map's first argument must be a list of tensors, not \(lv.describe)", at: args[0].value.location)
            }
            return .list(try items.map { item in
                guard case .tensor(let t) = item else { throw error("map applies a layer to tensors, not \(item.describe)", at: args[0].value.location) }
                return .tensor(try apply(f, to: [t], ctx: ctx, at: loc))
            })
        case "min", "max":
            guard !args.isEmpty else { throw error("\(name) needs at least one value", at: loc) }
            let xs = try args.map { a -> ValueExpr in
                if let l = a.label { throw error("\(name) takes no named arguments ('\(l)')", at: a.labelLocation) }
                return try number(a.value, scope: scope, ctx: ctx, what: name)
            }
            return .number(fold(name == "min" ? .min(xs) : .max(xs)))
        case "layer_choice":
            let label = try labelArgument(&args, scope: scope, ctx: ctx) ?? generatedLabel(ctx, kind: "layer_choice")
            try rejectExtra(args, primitive: "layer_choice", accepted: "a label string and candidates in braces")
            guard let body else {
                throw error("layer_choice needs its candidates in braces", at: loc, hint: "layer_choice(\"\(label)\") { conv3: conv2d(out: 16, kernel: 3), skip: identity }")
            }
            if body.binder != nil { throw error("layer_choice candidates take no parameter", at: body.binderLocation) }
            guard !body.entries.isEmpty else { throw error("layer_choice needs at least one candidate", at: body.location) }
            var cands: [(name: String, layer: Layer, location: SourceLocation)] = []
            var failed = false
            for (i, e) in body.entries.enumerated() {
                let cname = e.name ?? String(i)
                if cands.contains(where: { $0.name == cname }) {
                    _ = error("candidate '\(cname)' appears twice", at: e.nameLocation); failed = true; continue
                }
                var c = ctx
                c.path = [label, cname]; c.binding = nil; c.attribute = nil
                do {
                    switch try eval(e.value, scope: scope, ctx: c) {
                    case .layer(let l): cands.append((cname, l, e.nameLocation))
                    case .poisoned: failed = true
                    case let v: _ = error("candidate '\(cname)' must be a layer, not \(v.describe)", at: e.value.location,
                                          hint: "write an op or block without its input, e.g. conv2d(out: 16, kernel: 3)"); failed = true
                    }
                } catch { failed = true }
            }
            if failed { throw ElaborationFailure() }
            return .layer(.layerChoice(label: label, candidates: cands, location: loc))
        case "input_choice":
            let givenLabel = try labelArgument(&args, scope: scope, ctx: ctx)
            var tensors: [TensorVal] = []
            var candidatesGiven: SourceLocation?
            while let i = args.firstIndex(where: { $0.label == nil }) {
                let a = args.remove(at: i)
                candidatesGiven = candidatesGiven ?? a.value.location
                switch try eval(a.value, scope: scope, ctx: ctx) {
                case .tensor(let t): tensors.append(t)
                case .tuple(let ts): tensors += ts
                case .list(let items):
                    for it in items {
                        guard case .tensor(let t) = it else { throw error("input_choice candidates must be tensors", at: a.value.location) }
                        tensors.append(t)
                    }
                case .poisoned: throw ElaborationFailure()
                case let v: throw error("input_choice candidates must be tensors, not \(v.describe)", at: a.value.location)
                }
            }
            let label = givenLabel ?? generatedLabel(ctx, kind: "input_choice")
            var nChosen: Int? = 1
            if let a = take("n_chosen", from: &args) {
                if case .name("any") = a.value.kind { nChosen = nil }
                else {
                    let n = try constantInt(a.value, scope: scope, ctx: ctx, what: "n_chosen")
                    guard n >= 1 else { throw error("n_chosen must be at least 1, or 'any' (any number, including none)", at: a.value.location) }
                    nChosen = n
                }
            }
            var reduction = Reduction.sum
            if let a = take("reduction", from: &args) {
                var word: String?
                if case .name(let w) = a.value.kind { word = w }
                if case .string(let w) = a.value.kind { word = w }
                guard let w = word, let r = Reduction(rawValue: w) else {
                    throw error("reduction must be sum, mean, concat or none", at: a.value.location)
                }
                reduction = r
            }
            try rejectExtra(args, primitive: "input_choice", accepted: "candidate tensors, label, n_chosen, reduction")
            let layer = Layer.inputChoice(label: label, nChosen: nChosen, reduction: reduction, location: loc)
            if tensors.isEmpty {
                // `input_choice([])`: candidates were written, but none is a tensor.
                if let at = candidatesGiven {
                    throw error("input_choice needs at least one candidate tensor, but its candidate list is empty", at: at)
                }
                return .layer(layer)
            }
            return .tensor(try apply(layer, to: tensors, ctx: ctx, at: loc))
        case "repeat":
            var label = try labelArgument(&args, scope: scope, ctx: ctx)
            guard let d = take("depth", from: &args) ?? (args.first?.label == nil ? args.first.map { a in args.removeFirst(); return a } : nil) else {
                throw error("repeat needs a depth", at: loc, hint: "repeat(depth: [1, 2, 3]) { i => Block(i) }")
            }
            try rejectExtra(args, primitive: "repeat", accepted: "a label string and depth")
            var depths: [Int] = []
            if case .call(let callee, let cargs, nil) = d.value.kind, case .name("choice") = callee.kind, scope["choice"] == nil {
                let (l, values, vloc) = try choiceArguments(cargs ?? [], at: d.value.location, scope: scope, ctx: ctx)
                if let l { if label != nil && label != l { throw error("repeat has two labels", at: vloc) }; label = l }
                for v in values {
                    guard case .int(let i) = v else { throw error("repeat depths must be integers", at: vloc) }
                    depths.append(i)
                }
            } else {
                switch try eval(d.value, scope: scope, ctx: ctx) {
                case .number(let e):
                    if let l = e.labels.first {
                        throw error("repeat depth cannot read value choice '\(l)'", at: d.value.location,
                                    hint: "write the depths inline: depth: [2, 3, 4] or depth: choice(\"\(l)\", [2, 3, 4])")
                    }
                    guard case .int(let i)? = e.constant else { throw error("repeat depth must be an integer", at: d.value.location) }
                    depths = [i]
                case .list(let items):
                    for it in items {
                        guard case .number(let e) = it, case .int(let i)? = e.constant else {
                            throw error("repeat depths must be constant integers", at: d.value.location)
                        }
                        depths.append(i)
                    }
                case .poisoned: throw ElaborationFailure()
                case let v: throw error("repeat depth must be an integer or a list of integers, not \(v.describe)", at: d.value.location)
                }
            }
            guard !depths.isEmpty, depths.allSatisfy({ $0 >= 0 && $0 <= 64 }) else {
                throw error("repeat depths must be between 0 and 64", at: d.value.location)
            }
            guard Set(depths).count == depths.count else { throw error("repeat depths must not repeat", at: d.value.location) }
            guard let body, body.entries.count == 1, body.entries[0].name == nil else {
                throw error("repeat needs one block in braces", at: body?.location ?? loc, hint: "repeat(depth: [1, 2]) { i => MyBlock(i) }")
            }
            let l = label ?? generatedLabel(ctx, kind: "repeat")
            return .layer(.repeated(label: l, depths: depths.sorted(), body: body, scope: scope, location: loc))
        case "cell":
            let label = try labelArgument(&args, scope: scope, ctx: ctx) ?? generatedLabel(ctx, kind: "cell")
            guard let n = take("nodes", from: &args) ?? take("num_nodes", from: &args) else {
                throw error("cell needs 'nodes', the number of intermediate nodes", at: loc)
            }
            let numNodes = try constantInt(n.value, scope: scope, ctx: ctx, what: "the number of cell nodes")
            guard (1...32).contains(numNodes) else { throw error("a cell has between 1 and 32 nodes", at: n.value.location) }
            var ops = 1
            if let a = take("ops_per_node", from: &args) {
                ops = try constantInt(a.value, scope: scope, ctx: ctx, what: "ops_per_node")
                guard (1...8).contains(ops) else { throw error("ops_per_node must be between 1 and 8", at: a.value.location) }
            }
            var merge = CellMerge.all
            if let a = take("merge", from: &args) {
                guard case .name(let w) = a.value.kind, let m = CellMerge(rawValue: w) else {
                    throw error("merge must be all or loose_end", at: a.value.location)
                }
                merge = m
            }
            var stride = 1
            if let a = take("stride", from: &args) {
                stride = try constantInt(a.value, scope: scope, ctx: ctx, what: "the cell stride")
                guard (1...4).contains(stride) else { throw error("cell stride must be between 1 and 4", at: a.value.location) }
            }
            try rejectExtra(args, primitive: "cell", accepted: "label, nodes, ops_per_node, merge, stride")
            guard let body, !body.entries.isEmpty else {
                throw error("cell needs its op candidates in braces", at: body?.location ?? loc,
                            hint: "cell(\"normal\", nodes: 4, ops_per_node: 2) { skip: identity, conv: conv2d(out: 16, kernel: 3, padding: same) }")
            }
            if stride != 1 && body.binder == nil {
                throw error("a cell with stride \(stride) needs its candidates as a factory of the stride", at: body.location,
                            hint: "write { s => pool: max_pool2d(kernel: 3, stride: s, padding: 1), ... }")
            }
            return .layer(.cell(CellSyntax(label: label, numNodes: numNodes, opsPerNode: ops, merge: merge, stride: stride,
                                           body: body, scope: scope, location: loc)))
        default:
            throw error("unknown primitive '\(name)'", at: loc)
        }
    }

    func declareValueChoice(_ label: String, values: [Scalar], at loc: SourceLocation) throws {
        let sig = "[" + values.map(\.description).joined(separator: ", ") + "]"
        try registerLabel(label, kind: "value choice", signature: sig, at: loc)
        if !valueChoices.contains(where: { $0.label == label }) {
            valueChoices.append(ValueChoiceDecl(label: label, values: values, location: loc))
        }
    }
}
