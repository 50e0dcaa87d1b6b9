// ElaboratorApply: applying a layer to tensors — emitting op nodes, inlining blocks, and building the subgraphs
// of LayerChoice candidates, Repeat blocks and Cell ops.
import NASCIR

extension Elaborator {
    /// A placeholder graph-input type; the static checker replaces it with the inferred type.
    static let unknownInputType = TensorType(.f32, [.batch])

    func apply(_ layer: Layer, to inputsIn: [TensorVal], ctx: ElabContext, at loc: SourceLocation) throws -> TensorVal {
        let inputs = try inputsIn.map { try own($0, ctx: ctx, at: loc) }
        totalNodes += 1
        if totalNodes > Self.maxNodes {
            throw error("the space is too large: more than \(Self.maxNodes) nodes", at: loc, hint: "reduce loop counts, repeat depths or cell sizes")
        }
        switch layer {
        case .op(let spec, let attrs, let opLoc):
            if let n = spec.kind.spaceArity, inputs.count != n {
                throw error("\(spec.kind.rawValue) takes \(n) input\(n == 1 ? "" : "s"), but \(inputs.count) \(inputs.count == 1 ? "is" : "are") given", at: loc,
                            hint: n == 1 && inputs.count > 1 ? "combine the tensors first, e.g. with add or concat" : nil)
            }
            if spec.kind.spaceArity == nil, inputs.count < spec.kind.minInputs {
                throw error("\(spec.kind.rawValue) takes at least \(spec.kind.minInputs) inputs, but \(inputs.count) \(inputs.count == 1 ? "is" : "are") given",
                            at: loc, hint: "e.g. add(a, b) or (a, b) -> add")
            }
            let op: Op
            do { op = try Op(kind: spec.kind, attributes: attrs) } catch {
                throw self.error("invalid attributes for \(spec.kind.rawValue): \(error)", at: opLoc)
            }
            let ref = ctx.builder.add(op, inputs: inputs.map(\.ref), base: ctx.namePrefix + (ctx.binding.map { "\($0)_\(spec.kind.rawValue)" } ?? spec.kind.rawValue), location: opLoc)
            if let inst = instanceStack.last { ctx.builder.sites[ref.node] = inst }
            return TensorVal(ref: ref, graph: ctx.builder.id, channels: channels(of: op, inputs: inputs), location: opLoc)

        case .block(let b, let bound, _):
            if blockStack.contains(b.name) {
                throw error("block '\(b.name)' instantiates itself", at: loc, hint: "blocks cannot be recursive; use repeat for chains")
            }
            guard inputs.count == b.inputs.count else {
                throw error("block '\(b.name)' takes \(b.inputs.count) tensor input\(b.inputs.count == 1 ? "" : "s"), but \(inputs.count) \(inputs.count == 1 ? "is" : "are") given", at: loc)
            }
            var inst = ctx.binding ?? b.name.lowercased()
            var full = (ctx.path + [inst]).joined(separator: "/")
            if usedPaths.contains(full) {
                var i = 1
                while usedPaths.contains(full + "_\(i)") { i += 1 }
                inst += "_\(i)"; full += "_\(i)"
            }
            usedPaths.insert(full)
            var scope = bound
            for (decl, t) in zip(b.inputs, inputs) { scope[decl.name] = .tensor(t) }
            let inner = ElabContext(builder: ctx.builder, path: ctx.path + [inst], namePrefix: ctx.namePrefix + inst + "_", binding: nil)
            blockStack.append(b.name)
            instanceStack.append((b.name, loc))
            defer { blockStack.removeLast(); instanceStack.removeLast() }
            let before = diags.diagnostics.count
            let outs = runStatements(b.body, scope: &scope, ctx: inner, what: "block '\(b.name)'")
            if diags.diagnostics.count > before { throw ElaborationFailure() }
            guard outs.count == 1 else {
                throw error("block '\(b.name)' returns \(outs.count) tensors; a block used as a layer returns one", at: b.location)
            }
            return outs[0]

        case .sequence:
            // Flattened and applied iteratively: composed chains may be long.
            var parts: [Layer] = []
            var stack = [layer]
            while let l = stack.popLast() {
                if case .sequence(let a, let b) = l { stack.append(b); stack.append(a) } else { parts.append(l) }
            }
            var cur = try apply(parts[0], to: inputs, ctx: ctx, at: loc)
            for p in parts.dropFirst() { cur = try apply(p, to: [cur], ctx: ctx, at: loc) }
            return cur

        case .layerChoice(let label, let cands, let lcLoc):
            try registerLabel(label, kind: "layer choice", signature: "candidates [" + cands.map(\.name).joined(separator: ", ") + "]", at: lcLoc)
            var named: [NamedGraph] = []
            var outChannels: [ValueExpr?] = []
            var failed = false
            for c in cands {
                let (g, out) = subgraph(name: "\(label)_\(c.name)", location: c.location, inputs: inputs,
                                        path: [label, c.name], layer: c.layer)
                if let out { outChannels.append(out.channels) } else { failed = true }
                named.append(NamedGraph(name: c.name, graph: g))
            }
            if failed { throw ElaborationFailure() }
            let op = Op.layerChoice(LayerChoiceOp(label: label, candidates: named))
            let ref = ctx.builder.add(op, inputs: inputs.map(\.ref), base: ctx.namePrefix + (ctx.binding ?? "layer_choice"), location: lcLoc)
            return TensorVal(ref: ref, graph: ctx.builder.id, channels: common(outChannels), location: lcLoc)

        case .inputChoice(let label, let nChosen, let reduction, let icLoc):
            guard !inputs.isEmpty else { throw error("input_choice needs at least one candidate tensor", at: loc) }
            if let n = nChosen, n > inputs.count {
                throw error("input_choice chooses \(n) of only \(inputs.count) candidate\(inputs.count == 1 ? "" : "s")", at: icLoc)
            }
            try registerLabel(label, kind: "input choice",
                              signature: "\(inputs.count) candidates, n_chosen \(nChosen.map(String.init) ?? "any"), reduction \(reduction.rawValue)", at: icLoc)
            let op = Op.inputChoice(InputChoiceOp(label: label, nChosen: nChosen, reduction: reduction))
            let ref = ctx.builder.add(op, inputs: inputs.map(\.ref), base: ctx.namePrefix + (ctx.binding ?? "input_choice"), location: icLoc)
            var ch = common(inputs.map(\.channels))
            if reduction == .concat, nChosen != 1 {
                if let n = nChosen, let c = ch { ch = fold(.binary(.mul, c, .int(n))) } else { ch = nil }
            }
            return TensorVal(ref: ref, graph: ctx.builder.id, channels: ch, location: icLoc)

        case .repeated(let label, let depths, let body, let scope, let rLoc):
            guard inputs.count == 1 else { throw error("repeat takes one input tensor, but \(inputs.count) are given", at: loc) }
            try registerLabel(label, kind: "repeat", signature: "depths [" + depths.map(String.init).joined(separator: ", ") + "]", at: rLoc)
            var graphs: [String] = []
            var cur = inputs[0]
            var outs: [ValueExpr?] = depths.contains(0) ? [cur.channels] : []
            let entry = body.entries[0]
            for i in 0..<(depths.max() ?? 0) {
                var s = scope
                if let b = body.binder { s[b] = .number(.int(i)) }
                var c = ctx
                c.path = [label, String(i)]; c.binding = nil; c.attribute = nil
                let v = try eval(entry.value, scope: s, ctx: c)
                guard case .layer(let l) = v else {
                    throw error("repeat's body must be a layer, not \(v.describe)", at: entry.value.location)
                }
                let (g, out) = subgraph(name: "\(label)_b\(i)", location: entry.value.location, inputs: [cur], path: [label, String(i)], layer: l)
                guard let out else { throw ElaborationFailure() }
                graphs.append(g)
                cur = TensorVal(ref: cur.ref, graph: cur.graph, channels: out.channels, location: out.location)
                if depths.contains(i + 1) { outs.append(out.channels) }
            }
            let op = Op.repeated(RepeatOp(label: label, depths: depths, blocks: graphs))
            let ref = ctx.builder.add(op, inputs: inputs.map(\.ref), base: ctx.namePrefix + (ctx.binding ?? "repeat"), location: rLoc)
            return TensorVal(ref: ref, graph: ctx.builder.id, channels: common(outs), location: rLoc)

        case .cell(let cs):
            let label = cs.label
            guard !inputs.isEmpty else { throw error("a cell needs at least one predecessor tensor", at: loc) }
            func candidates(stride: Int, suffix: String) throws -> ([NamedGraph], [ValueExpr?]) {
                var s = cs.scope
                if let b = cs.body.binder { s[b] = .number(.int(stride)) }
                var out: [NamedGraph] = []
                var chans: [ValueExpr?] = []
                var failed = false
                for (i, e) in cs.body.entries.enumerated() {
                    let cname = e.name ?? String(i)
                    if out.contains(where: { $0.name == cname }) { _ = error("candidate '\(cname)' appears twice", at: e.nameLocation); failed = true; continue }
                    var c = ctx
                    c.path = [label, cname + suffix]; c.binding = nil; c.attribute = nil
                    do {
                        let v = try eval(e.value, scope: s, ctx: c)
                        guard case .layer(let l) = v else {
                            if case .poisoned = v { failed = true; continue }
                            _ = error("cell candidate '\(cname)' must be a layer, not \(v.describe)", at: e.value.location); failed = true; continue
                        }
                        let (g, o) = subgraph(name: "\(label)_\(cname)\(suffix)", location: e.nameLocation, inputs: [inputs[0]],
                                              path: [label, cname + suffix], layer: l)
                        if let o { chans.append(o.channels) } else { failed = true }
                        out.append(NamedGraph(name: cname, graph: g))
                    } catch { failed = true }
                }
                if failed { throw ElaborationFailure() }
                return (out, chans)
            }
            let (cands, chans) = try candidates(stride: 1, suffix: "")
            var inputCands: [NamedGraph] = []
            if cs.stride != 1 { inputCands = try candidates(stride: cs.stride, suffix: "_s\(cs.stride)").0 }
            try registerLabel(label, kind: "cell", signature: "\(cs.numNodes) nodes, \(cs.opsPerNode) ops per node, candidates ["
                              + cands.map(\.name).joined(separator: ", ") + "]", at: cs.location)
            let op = Op.cell(CellOp(label: label, numNodes: cs.numNodes, opsPerNode: cs.opsPerNode, candidates: cands,
                                    inputCandidates: inputCands, merge: cs.merge))
            let ref = ctx.builder.add(op, inputs: inputs.map(\.ref), base: ctx.namePrefix + (ctx.binding ?? "cell"), location: cs.location)
            var ch: ValueExpr?
            if cs.merge == .all, let c = common(chans) { ch = fold(.binary(.mul, .int(cs.numNodes), c)) }
            return TensorVal(ref: ref, graph: ctx.builder.id, channels: ch, location: cs.location)
        }
    }

    /// Builds a single-output subgraph applying `layer` to fresh inputs shaped like `inputs`.
    func subgraph(name: String, location: SourceLocation, inputs: [TensorVal], path: [String], layer: Layer) -> (String, TensorVal?) {
        let b = newBuilder(name: name, location: location)
        var ins: [TensorVal] = []
        for (k, t) in inputs.enumerated() {
            let n = k == 0 ? "x" : "x\(k)"
            b.addInput(GraphInput(name: n, type: Self.unknownInputType, location: location))
            ins.append(TensorVal(ref: ValueRef(n), graph: b.id, channels: t.channels, location: location))
        }
        let ctx = ElabContext(builder: b, path: path, namePrefix: "", binding: nil)
        do {
            let out = try apply(layer, to: ins, ctx: ctx, at: location)
            b.outputs = [out.ref]
            return (b.name, out)
        } catch {
            return (b.name, nil)
        }
    }

    /// The shared value if all are known and equal.
    func common(_ xs: [ValueExpr?]) -> ValueExpr? {
        guard let f = xs.first, let first = f, xs.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    /// Dimension 1 of an op's output, symbolically, when it follows from the attributes and inputs.
    func channels(of op: Op, inputs: [TensorVal]) -> ValueExpr? {
        switch op {
        case .conv2d(let a): return a.outChannels
        case .separableConv2d(let a): return a.outChannels
        case .linear(let a): return a.outFeatures
        case .depthwiseConv2d, .batchNorm, .layerNorm, .activation, .maxPool2d, .avgPool2d, .globalAvgPool, .dropout,
             .identity, .zero, .softmax, .logSoftmax, .add, .mul:
            return inputs.first?.channels
        case .concat(let axis):
            guard axis == 1 else { return inputs.first?.channels }
            var total: ValueExpr?
            for t in inputs {
                guard let c = t.channels else { return nil }
                total = total.map { fold(.binary(.add, $0, c)) } ?? c
            }
            return total
        case .flatten: return nil
        case .call, .layerChoice, .inputChoice, .repeated, .cell: return nil
        default: return nil  // training ops never appear in a space
        }
    }
}
