// ElaboratorCalls: calls in .nas — base ops with their attributes, and block instantiation with parameters.
import NASCIR
import NASCPasses

extension Elaborator {
    // MARK: Calls

    func evalCall(callee: Expr, args: [Argument], body: BraceBody?, at loc: SourceLocation, scope: Scope, ctx: ElabContext) throws -> Value {
        if case .name(let n) = callee.kind, scope[n] == nil {
            if Self.primitives.contains(n) {
                return try evalPrimitive(n, args: args, body: body, at: callee.location, scope: scope, ctx: ctx)
            }
            if body != nil {
                throw error("only layer_choice, repeat and cell take a '{ ... }' body", at: body!.location)
            }
            if let spec = OpCatalog.lookup(n) {
                // Positional tensors apply the op at once; otherwise it is a layer.
                var tensors: [TensorVal] = []
                var rest: [(Argument, Value?)] = []
                for a in args {
                    if a.label == nil && rest.isEmpty {
                        let v = try eval(a.value, scope: scope, ctx: ctx)
                        switch v {
                        case .tensor(let t): tensors.append(t); continue
                        case .tuple(let ts): tensors += ts; continue
                        case .list(let items) where !items.isEmpty && items.allSatisfy({ if case .tensor = $0 { return true }; return false }):
                            for case .tensor(let t) in items { tensors.append(t) }
                            continue
                        default: rest.append((a, v)); continue
                        }
                    }
                    rest.append((a, nil))
                }
                let layer = try makeOp(spec, name: n, args: rest, at: callee.location, scope: scope, ctx: ctx)
                if tensors.isEmpty { return .layer(layer) }
                return .tensor(try apply(layer, to: tensors, ctx: ctx, at: callee.location))
            }
            if let b = blocks[n] {
                return .layer(try instantiate(b, args: args, at: callee.location, scope: scope, ctx: ctx))
            }
            if brokenNames.contains(n) { throw ElaborationFailure() }
            if !OpCatalog.reserved.contains(n) {
                let hint = closest(n, among: OpCatalog.allNames + Array(blocks.keys) + Array(Self.primitives)).map { "did you mean '\($0)'?" }
                throw error("unknown op '\(n)'", at: callee.location,
                            hint: hint ?? "ops are listed in docs/language.md; blocks are declared with 'block \(n)(params)(x) { ... }'")
            }
        }
        if body != nil { throw error("only layer_choice, repeat and cell take a '{ ... }' body", at: body!.location) }
        // Applying a layer value: `MBConv(16, 3)(x)`.
        let f = try eval(callee, scope: scope, ctx: ctx)
        guard case .layer(let layer) = f else {
            if case .poisoned = f { throw ElaborationFailure() }
            throw error("\(f.describe.prefix(1).uppercased() + f.describe.dropFirst()) cannot be called", at: callee.location)
        }
        var tensors: [TensorVal] = []
        for a in args {
            if a.label != nil { throw error("a layer is applied to tensors only; named argument '\(a.label!)' is not allowed here", at: a.labelLocation) }
            switch try eval(a.value, scope: scope, ctx: ctx) {
            case .tensor(let t): tensors.append(t)
            case .tuple(let ts): tensors += ts
            case .poisoned: throw ElaborationFailure()
            case let v: throw error("a layer is applied to tensors, not \(v.describe)", at: a.value.location)
            }
        }
        return .tensor(try apply(layer, to: tensors, ctx: ctx, at: callee.location))
    }

    /// Builds an op layer from named (and positional number) arguments, checking every attribute.
    func makeOp(_ spec: OpSpec, name: String, args: [(Argument, Value?)], at loc: SourceLocation, scope: Scope, ctx: ElabContext) throws -> Layer {
        var given: [String: (Argument, Value?)] = [:]
        var order: [String] = []
        var positionalIndex = 0
        var failed = false
        for (a, pre) in args {
            let attrName: String
            if let l = a.label {
                attrName = OpCatalog.attributeAliases[l].flatMap { spec.attribute($0) != nil ? $0 : nil } ?? l
                guard spec.attribute(attrName) != nil else {
                    let known = spec.attributes.map(\.name)
                    let hint = closest(l, among: known).map { "did you mean '\($0)'?" }
                        ?? (known.isEmpty ? "\(name) takes no attributes" : "\(name) accepts: " + known.joined(separator: ", "))
                    _ = error("unknown attribute '\(l)' for \(name)", at: a.labelLocation, hint: hint)
                    failed = true
                    continue
                }
            } else {
                guard positionalIndex < spec.positional.count else {
                    _ = error("too many arguments for \(name)", at: a.value.location,
                              hint: spec.positional.isEmpty ? "\(name) takes tensor inputs and named attributes only"
                                : "positional arguments after the tensors are: " + spec.positional.joined(separator: ", "))
                    failed = true
                    continue
                }
                attrName = spec.positional[positionalIndex]
                positionalIndex += 1
            }
            if given[attrName] != nil {
                _ = error("attribute '\(attrName)' is given twice", at: a.labelLocation)
                failed = true
                continue
            }
            given[attrName] = (a, pre)
            order.append(attrName)
        }
        var attrs: [NamedAttribute] = []
        for n in order {
            guard let (arg, pre) = given[n], let aspec = spec.attribute(n) else { continue }
            var c = ctx
            c.attribute = n
            do { attrs.append(NamedAttribute(n, try attributeValue(arg.value, pre: pre, spec: aspec, op: name, scope: scope, ctx: c))) }
            catch { failed = true }
        }
        let sawUnknown = failed
        for a in spec.attributes where given[a.name] == nil {
            if a.required && !sawUnknown {
                _ = error("\(name) requires attribute '\(a.name)'", at: loc,
                          hint: "e.g. \(name)(" + spec.attributes.filter(\.required).map { "\($0.name): ..." }.joined(separator: ", ") + ")")
                failed = true
            } else if !a.required, let d = a.defaultValue {
                attrs.append(NamedAttribute(a.name, .expr(d)))
            }
        }
        if failed { throw ElaborationFailure() }
        do { _ = try Op(kind: spec.kind, attributes: attrs) } catch {
            throw self.error("invalid attributes for \(name): \(error)", at: loc)
        }
        return .op(spec, attrs, loc)
    }

    func attributeValue(_ e: Expr, pre: Value?, spec: AttrSpec, op: String, scope: Scope, ctx: ElabContext) throws -> Attribute {
        if spec.type == .padding, case .name(let s) = e.kind, scope[s] == nil {
            guard s == "same" || s == "valid" else { throw error("padding must be a number, same or valid", at: e.location) }
            return .symbol(s)
        }
        let v = try pre ?? eval(e, scope: scope, ctx: ctx)
        switch (spec.type, v) {
        case (_, .poisoned): throw ElaborationFailure()
        case (.padding, .string(let s)), (.padding, .symbol(let s)):
            guard s == "same" || s == "valid" else { throw error("padding must be a number, \"same\" or \"valid\"", at: e.location) }
            return .symbol(s)
        case (.padding, .number(let x)), (.expr, .number(let x)):
            return .expr(x)
        case (.constInt, .number(let x)), (.constFloat, .number(let x)):
            if let l = x.labels.first {
                throw error("value choice '\(l)' cannot be used for '\(spec.name)' of \(op): it must be fixed when the space is compiled",
                            at: e.location, hint: "use a constant, or a layer_choice over the variants")
            }
            if spec.type == .constInt {
                guard case .int? = x.constant else { throw error("'\(spec.name)' of \(op) must be an integer", at: e.location) }
            }
            return .expr(x)
        case (.bool, .bool(let b)): return .bool(b)
        case (.bool, _): throw error("'\(spec.name)' of \(op) must be true or false, not \(v.describe)", at: e.location)
        default: throw error("'\(spec.name)' of \(op) must be a number, not \(v.describe)", at: e.location)
        }
    }

    /// Binds a block's parameters; the body is elaborated when the instance is applied.
    func instantiate(_ b: BlockDecl, args: [Argument], at loc: SourceLocation, scope: Scope, ctx: ElabContext) throws -> Layer {
        var bound = Scope()
        var positional = 0
        var failed = false
        for a in args {
            let pname: String
            if let l = a.label {
                guard b.parameters.contains(where: { $0.name == l }) else {
                    let hint = closest(l, among: b.parameters.map(\.name)).map { "did you mean '\($0)'?" }
                        ?? "parameters of \(b.name): " + b.parameters.map(\.name).joined(separator: ", ")
                    _ = error("block '\(b.name)' has no parameter '\(l)'", at: a.labelLocation, hint: hint)
                    failed = true; continue
                }
                pname = l
            } else {
                guard positional < b.parameters.count else {
                    _ = error("too many arguments for block '\(b.name)': it takes \(b.parameters.count)", at: a.value.location,
                              hint: "to apply the block to tensors write '\(b.name)(...)(x)' or 'x -> \(b.name)(...)'")
                    failed = true; continue
                }
                pname = b.parameters[positional].name
                positional += 1
            }
            if bound[pname] != nil { _ = error("parameter '\(pname)' is given twice", at: a.labelLocation); failed = true; continue }
            do {
                var c = ctx
                c.attribute = pname
                let v = try eval(a.value, scope: scope, ctx: c)
                if case .tensor = v {
                    _ = error("block parameters are not tensors; pass tensors as inputs: '\(b.name)(...)(x)'", at: a.value.location)
                    failed = true; continue
                }
                bound[pname] = v
            } catch { failed = true }
        }
        for p in b.parameters where bound[p.name] == nil {
            if let d = p.defaultValue {
                var c = ctx
                c.attribute = p.name
                do { bound[p.name] = try eval(d, scope: bound, ctx: c) } catch { failed = true }
            } else {
                _ = error("missing argument '\(p.name)' for block '\(b.name)'", at: loc,
                          hint: "\(b.name) takes (" + b.parameters.map(\.name).joined(separator: ", ") + ")")
                failed = true
            }
        }
        if failed { throw ElaborationFailure() }
        return .block(b, bound, loc)
    }
}
