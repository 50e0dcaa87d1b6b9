// Elaborator: turns the AST into a ModelSpace. Blocks are inlined (node names and labels prefixed with the
// instance path); LayerChoice candidates, Repeat blocks and Cell ops become subgraphs.
import NASCIR

/// Where elaboration currently emits nodes, and the structural path used for generated names and labels.
struct ElabContext {
    var builder: GraphBuilder
    /// Structural path of enclosing block instances / candidates, used for generated labels.
    var path: [String]
    /// Prefix for node names of inlined block instances.
    var namePrefix: String
    /// Name being bound by the current statement, if any.
    var binding: String?
    /// Attribute being evaluated (for labels of inline value choices).
    var attribute: String? = nil
}

/// Elaborates a parsed ``Program`` into a ``ModelSpace`` and a list of diagnostics.
final class Elaborator {
    let file: String
    var diags = DiagnosticEngine()
    var blocks: [String: BlockDecl] = [:]
    var builders: [GraphBuilder] = []
    var valueChoices: [ValueChoiceDecl] = []
    /// Label -> (kind, signature, first location), to check that shared labels agree.
    var labels: [String: (kind: String, signature: String, location: SourceLocation)] = [:]
    var usedGraphNames: Set<String> = []
    var usedPaths: Set<String> = []
    var blockStack: [String] = []
    /// Names whose definition failed to parse: using them reports nothing new.
    var brokenNames: Set<String> = []
    /// Block applications being elaborated, innermost last: (block name, where it is applied).
    var instanceStack: [(block: String, site: SourceLocation)] = []
    /// Nodes emitted so far across all graphs; elaboration stops past ``maxNodes``.
    var totalNodes = 0
    static let maxNodes = 200_000

    static let primitives: Set<String> = ["choice", "layer_choice", "input_choice", "repeat", "cell", "channels", "min", "max", "range", "map", "len"]
    static let symbols: Set<String> = ["same", "valid", "sum", "mean", "concat", "none", "any", "all", "loose_end"]

    init(file: String) { self.file = file }

    func error(_ message: String, at loc: SourceLocation, hint: String? = nil, notes: [Diagnostic] = []) -> ElaborationFailure {
        var all = notes
        if let inst = instanceStack.last, inst.site != loc {
            all.append(Diagnostic(.note, at: inst.site, "in block '\(inst.block)' applied here"))
        }
        diags.emit(Diagnostic(.error, at: loc, message, hint: hint, notes: all))
        return ElaborationFailure()
    }

    /// Where each node's innermost block instance was applied: graph -> node -> (block, site).
    var instanceSites: [String: [String: (block: String, site: SourceLocation)]] {
        var out: [String: [String: (block: String, site: SourceLocation)]] = [:]
        for b in builders where !b.sites.isEmpty { out[b.name] = b.sites }
        return out
    }

    // MARK: Program

    func elaborate(_ program: Program) -> ModelSpace {
        brokenNames = program.brokenNames
        for b in program.blocks {
            if let prev = blocks[b.name] {
                _ = error("block '\(b.name)' is declared twice", at: b.location,
                          notes: [Diagnostic(.note, at: prev.location, "first declared here")])
                continue
            }
            if OpCatalog.lookup(b.name) != nil || Self.primitives.contains(b.name) {
                _ = error("block name '\(b.name)' shadows a built-in op", at: b.location, hint: "choose another name")
                continue
            }
            blocks[b.name] = b
        }
        let root = newBuilder(name: "main", location: SourceLocation(file: file, line: 1, column: 1))
        var scope = Scope()
        let ctx = ElabContext(builder: root, path: [], namePrefix: "", binding: nil)
        // Statements run in source order with the input declarations, so a constant bound above an input
        // (`n = 8` then `input x: [1, n, n]`) can size it.
        var pending = program.statements[...]
        for inp in program.inputs.sorted(by: { $0.location < $1.location }) {
            while let s = pending.first, s.location < inp.location {
                if case .ret = s.kind { break }
                _ = runStatement(s, scope: &scope, ctx: ctx)
                pending.removeFirst()
            }
            guard let shape = inp.shape else { continue }
            if scope[inp.name] != nil { _ = error("input '\(inp.name)' is declared twice", at: inp.location); continue }
            guard let type = try? fixedShape(shape, scope: scope, ctx: ctx) else { scope[inp.name] = .poisoned; continue }
            root.addInput(GraphInput(name: inp.name, type: type, location: inp.location))
            let ch: ValueExpr? = type.shape.count > 1 ? type.shape[1].value.map { .int($0) } : nil
            scope[inp.name] = .tensor(TensorVal(ref: ValueRef(inp.name), graph: root.id, channels: ch, location: inp.location))
        }
        if program.inputs.isEmpty {
            _ = error("the space declares no input", at: SourceLocation(file: file, line: 1, column: 1),
                      hint: "add e.g. 'input x: [1, 28, 28]' (batch dimension implied)")
        }
        let outs = runStatements(Array(pending), scope: &scope, ctx: ctx, what: "the space")
        root.outputs = outs.map(\.ref)
        var graphs = [root.graph]
        graphs += builders.filter { $0.id != root.id }.map(\.graph)
        let name = program.spaceName ?? Self.baseName(file)
        // A value choice no attribute reads is not part of the space (as in NNI, where it never reaches the model).
        let used = Set(graphs.flatMap { $0.nodes.flatMap(\.op.valueLabels) })
        return ModelSpace(name: name, root: "main", graphs: graphs, valueChoices: valueChoices.filter { used.contains($0.label) })
    }

    static func baseName(_ file: String) -> String {
        let last = file.split(separator: "/").last.map(String.init) ?? file
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last.isEmpty ? "space" : last
    }

    func newBuilder(name: String, location: SourceLocation) -> GraphBuilder {
        var n = Self.sanitize(name)
        if usedGraphNames.contains(n) {
            var i = 1
            while usedGraphNames.contains("\(n)_\(i)") { i += 1 }
            n = "\(n)_\(i)"
        }
        usedGraphNames.insert(n)
        let b = GraphBuilder(id: builders.count, name: n, location: location)
        builders.append(b)
        return b
    }

    static func sanitize(_ s: String) -> String {
        let mapped = String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "_" ? $0 : "_" })
        return mapped.isEmpty ? "g" : mapped
    }

    func fixedShape(_ shape: ShapeSyntax, scope: Scope, ctx: ElabContext) throws -> TensorType {
        var dims: [Dim] = [.batch]
        for d in shape.dims {
            guard case .number(let e) = try eval(d, scope: scope, ctx: ctx) else {
                throw error("a shape dimension must be a number", at: d.location)
            }
            if let l = e.labels.first {
                throw error("value choice '\(l)' cannot be used in a shape: input shapes must be fixed", at: d.location,
                            hint: "declare the input with constant dimensions")
            }
            guard let v = e.constantInt, v > 0 else {
                throw error("a shape dimension must be a positive integer", at: d.location)
            }
            guard v <= 1 << 24 else { throw error("a shape dimension must be at most \(1 << 24)", at: d.location) }
            dims.append(.fixed(v))
        }
        let (elements, overflow) = dims.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d.value ?? 1)
            return (p, acc.1 || o)
        }
        guard !overflow, elements <= 1 << 36 else {
            throw error("the input has too many elements per sample", at: shape.location)
        }
        return TensorType(shape.dtype, dims)
    }

    /// Runs statements, returning the tensors of the `return` statement.
    func runStatements(_ stmts: [Stmt], scope: inout Scope, ctx: ElabContext, what: String) -> [TensorVal] {
        var result: [TensorVal]?
        var failed = false
        var endLoc = ctx.builder.location
        for s in stmts {
            endLoc = s.location
            if result != nil {
                _ = error("statement after 'return' in \(what)", at: s.location, hint: "'return' must be the last statement")
                continue
            }
            if case .ret(let exprs) = s.kind {
                var outs: [TensorVal] = []
                let c = ctx
                for e in exprs {
                    do {
                        switch try eval(e, scope: scope, ctx: c) {
                        case .tensor(let t): outs.append(try own(t, ctx: c, at: e.location))
                        case .tuple(let ts): for t in ts { outs.append(try own(t, ctx: c, at: e.location)) }
                        case .poisoned: failed = true
                        case let v: _ = error("\(what) must return tensors, not \(v.describe)", at: e.location)
                        }
                    } catch { failed = true }
                }
                result = outs
                continue
            }
            if !runStatement(s, scope: &scope, ctx: ctx) { failed = true }
        }
        if result == nil && !failed {
            _ = error("\(what) has no 'return'", at: endLoc, hint: "end it with 'return <tensor>'")
        }
        return result ?? []
    }

    /// Runs a binding or a loop; false if it failed.
    func runStatement(_ s: Stmt, scope: inout Scope, ctx: ElabContext) -> Bool {
        switch s.kind {
        case .ret:
            _ = error("'return' is not allowed inside a loop", at: s.location)
            return false
        case .bind(let name, let value):
            if OpCatalog.lookup(name) != nil || Self.primitives.contains(name) || blocks[name] != nil {
                _ = error("'\(name)' is a built-in or block name and cannot be rebound", at: s.location)
                scope[name] = .poisoned
                return false
            }
            var c = ctx
            c.binding = name
            let before = ctx.builder.nodes.count
            do {
                var v = try eval(value, scope: scope, ctx: c)
                if case .tensor(var t) = v, ctx.builder.nodes.count > before {
                    t.ref = ctx.builder.renameLast(t.ref, to: ctx.namePrefix + name)
                    v = .tensor(t)
                }
                scope[name] = v
                return true
            } catch {
                scope[name] = .poisoned
                return false
            }
        case .loop(let variable, let seqExpr, let body):
            let items: [Value]
            do {
                switch try eval(seqExpr, scope: scope, ctx: ctx) {
                case .list(let xs): items = xs
                case .tuple(let ts): items = ts.map { .tensor($0) }
                case .poisoned: return false
                case let v: _ = error("a loop runs over a list or range(...), not \(v.describe)", at: seqExpr.location); return false
                }
            } catch { return false }
            var ok = true
            for (i, item) in items.enumerated() {
                scope[variable] = item
                var c = ctx
                c.path = ctx.path + ["\(variable)\(i)"]
                for st in body where !runStatement(st, scope: &scope, ctx: c) { ok = false }
                if !ok { break }
            }
            return ok
        }
    }

    /// Checks that a tensor belongs to the graph being built.
    func own(_ t: TensorVal, ctx: ElabContext, at loc: SourceLocation) throws -> TensorVal {
        guard t.graph == ctx.builder.id else {
            throw error("tensor '\(t.ref.node)' is not visible here: a candidate or block sees only its own inputs", at: loc,
                        hint: "pass the tensor in as an input")
        }
        return t
    }

    // MARK: Expressions

    func eval(_ e: Expr, scope: Scope, ctx: ElabContext) throws -> Value {
        switch e.kind {
        case .int(let v): return .number(.int(v))
        case .float(let v): return .number(.float(v))
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .name(let n): return try evalName(n, at: e.location, scope: scope, ctx: ctx)
        case .list(let items): return .list(try items.map { try eval($0, scope: scope, ctx: ctx) })
        case .tuple(let items):
            var ts: [TensorVal] = []
            for it in items {
                switch try eval(it, scope: scope, ctx: ctx) {
                case .tensor(let t): ts.append(t)
                case .tuple(let more): ts += more
                case .poisoned: throw ElaborationFailure()
                case let v: throw error("a tuple holds tensors, not \(v.describe)", at: it.location)
                }
            }
            return .tuple(ts)
        case .negate(let a):
            return .number(fold(.neg(try number(a, scope: scope, ctx: ctx, what: "'-'"))))
        case .binary(let op, let a, let b):
            let xv = try eval(a, scope: scope, ctx: ctx)
            let yv = try eval(b, scope: scope, ctx: ctx)
            switch (op, xv, yv) {
            case (_, .poisoned, _), (_, _, .poisoned): throw ElaborationFailure()
            case (.add, .list(let p), .list(let q)): return .list(p + q)
            case (.add, .string(let p), .string(let q)): return .string(p + q)
            case (.add, .string(let p), .number(let q)):
                guard let k = q.constant else { throw error("only constants can be joined to a string", at: b.location) }
                return .string(p + k.description)
            case (.add, .number(let p), .string(let q)):
                guard let k = p.constant else { throw error("only constants can be joined to a string", at: a.location) }
                return .string(k.description + q)
            case (.eq, .string(let p), .string(let q)): return .number(.int(p == q ? 1 : 0))
            case (.ne, .string(let p), .string(let q)): return .number(.int(p != q ? 1 : 0))
            case (_, .number, .number): break
            case (_, .number, _): throw error("'\(op.rawValue)' needs numbers, not \(yv.describe)", at: b.location)
            default: throw error("'\(op.rawValue)' needs numbers, not \(xv.describe)", at: a.location)
            }
            guard case .number(let x) = xv, case .number(let y) = yv else { throw ElaborationFailure() }
            if case .int(let p)? = x.constant, case .int(let q)? = y.constant {
                let overflow: Bool
                switch op {
                case .add: overflow = p.addingReportingOverflow(q).overflow
                case .sub: overflow = p.subtractingReportingOverflow(q).overflow
                case .mul: overflow = p.multipliedReportingOverflow(by: q).overflow
                default: overflow = false
                }
                if overflow { throw error("integer overflow in \(p) \(op.rawValue) \(q)", at: e.location) }
            }
            if let cy = y.constant, cy.asDouble == 0, [.div, .floorDiv, .mod].contains(op) {
                throw error("division by zero", at: b.location)
            }
            return .number(fold(.binary(op, x, y)))
        case .conditional(let c, let a, let b):
            let cv = try number(c, scope: scope, ctx: ctx, what: "a condition")
            if let k = cv.constant { return try eval(k.asDouble != 0 ? a : b, scope: scope, ctx: ctx) }
            let x = try number(a, scope: scope, ctx: ctx, what: "a conditional whose condition is a value choice")
            let y = try number(b, scope: scope, ctx: ctx, what: "a conditional whose condition is a value choice")
            return .number(.cond(cv, x, y))
        case .pipe:
            // Evaluated iteratively: `x -> a -> b -> ...` may be long.
            var steps: [Expr] = []
            var head = e
            while case .pipe(let l, let r) = head.kind { steps.append(r); head = l }
            var acc = try eval(head, scope: scope, ctx: ctx)
            var accLoc = head.location
            for r in steps.reversed() {
                let rv = try eval(r, scope: scope, ctx: ctx)
                switch (acc, rv) {
                case (.poisoned, _), (_, .poisoned): throw ElaborationFailure()
                case (.layer(let a), .layer(let b)): acc = .layer(.sequence(a, b))
                case (.tensor(let t), .layer(let f)): acc = .tensor(try apply(f, to: [t], ctx: ctx, at: r.location))
                case (.tuple(let ts), .layer(let f)): acc = .tensor(try apply(f, to: ts, ctx: ctx, at: r.location))
                case (_, .layer):
                    throw error("'->' feeds a tensor or a layer into a layer, but its left side is \(acc.describe)", at: accLoc)
                default:
                    throw error("the right side of '->' must be a layer, not \(rv.describe)", at: r.location,
                                hint: "write an op or block, e.g. 'x -> relu' or 'x -> conv2d(out: 16, kernel: 3)'")
                }
                accLoc = r.location
            }
            return acc
        case .index(let base, let idx):
            let bv = try eval(base, scope: scope, ctx: ctx)
            let i = try constantInt(idx, scope: scope, ctx: ctx, what: "an index")
            let items: [Value]
            switch bv {
            case .list(let xs): items = xs
            case .tuple(let ts): items = ts.map { .tensor($0) }
            case .poisoned: throw ElaborationFailure()
            default: throw error("only lists and tuples can be indexed, not \(bv.describe)", at: base.location)
            }
            let k = i < 0 ? i + items.count : i
            guard k >= 0, k < items.count else { throw error("index \(i) is out of range for \(items.count) element\(items.count == 1 ? "" : "s")", at: idx.location) }
            return items[k]
        case .invalid:
            throw ElaborationFailure()
        case .call(let callee, let args, let body):
            return try evalCall(callee: callee, args: args ?? [], body: body, at: e.location, scope: scope, ctx: ctx)
        }
    }

    func number(_ e: Expr, scope: Scope, ctx: ElabContext, what: String) throws -> ValueExpr {
        switch try eval(e, scope: scope, ctx: ctx) {
        case .number(let v): return v
        case .poisoned: throw ElaborationFailure()
        case let v: throw error("\(what) needs a number, not \(v.describe)", at: e.location)
        }
    }

    func fold(_ e: ValueExpr) -> ValueExpr {
        if e.labels.isEmpty, let c = try? e.evaluate({ _ in nil }) { return .const(c) }
        return e
    }

    func evalName(_ n: String, at loc: SourceLocation, scope: Scope, ctx: ElabContext) throws -> Value {
        if let v = scope[n] {
            if case .poisoned = v { throw ElaborationFailure() }
            return v
        }
        if brokenNames.contains(n) && OpCatalog.lookup(n) == nil && blocks[n] == nil { throw ElaborationFailure() }
        if let spec = OpCatalog.lookup(n) {
            return .layer(try makeOp(spec, name: n, args: [], at: loc, scope: scope, ctx: ctx))
        }
        if let b = blocks[n] {
            return .layer(try instantiate(b, args: [], at: loc, scope: scope, ctx: ctx))
        }
        if Self.symbols.contains(n) { return .symbol(n) }
        if Self.primitives.contains(n) {
            if n == "layer_choice" || n == "cell" || n == "repeat" {
                throw error("'\(n)' needs its candidates in braces", at: loc, hint: "e.g. '\(n)(\"label\") { a: relu, b: identity }'")
            }
            throw error("'\(n)' must be called with arguments", at: loc)
        }
        if OpCatalog.reserved.contains(n) {
            throw error("op '\(n)' is reserved for sequence models and not supported yet", at: loc,
                        hint: "supported ops: conv2d, linear, batch_norm, relu, max_pool2d, ... (see docs/language.md)")
        }
        let names = Array(scope.values.keys) + OpCatalog.allNames + Array(blocks.keys) + Array(Self.primitives)
        let hint = closest(n, among: names).map { "did you mean '\($0)'?" }
        throw error("unknown name '\(n)'", at: loc, hint: hint ?? "bind it first ('\(n) = ...'), or declare a block or input with that name")
    }
}
