// TrainabilityPropertyTests: every architecture of every valid space compiles to a training and an inference plan
// that pass Plan.validate and the protobuf round trip, takes one training step and one eval step, and gives a
// finite loss. Runs over the example spaces and over spaces written here to cover every op, reduction, nesting and
// mutation primitive (1-channel images included: MNIST and digits are 1-channel).
import Foundation
import Testing
@testable import NASCFrontend
import NASCIR
import NASCRuntime
import NASCTool

@Suite struct TrainabilityPropertyTests {
    /// Every op of the language on a 1-channel image: convolutions (plain, depthwise, separable, dilated, strided,
    /// grouped), norms, activations, pools, dropout, linear, log-softmax, value-choice arithmetic.
    static let imageOps = """
    space prop_image

    input x: [1, 8, 8]

    w = choice("w", [2, 4])

    s = x -> layer_choice("stem") {
        conv: conv2d(out: w * 2, kernel: 3, padding: same)
        dw: depthwise_conv2d(kernel: 3, padding: 1)
        dw5: depthwise_conv2d(kernel: 5, stride: 2, padding: 2, bias: false)
        sep: separable_conv2d(out: w, kernel: 3, padding: 1)
        dil: conv2d(out: w, kernel: 3, padding: 2, dilation: 2, bias: false)
        strided: conv2d(out: w, kernel: 3, stride: 2, padding: 1)
        pointwise: conv2d(out: 4, kernel: 1) -> conv2d(out: 4, kernel: 3, padding: 1, groups: 2)
        pool: max_pool2d(kernel: 3, stride: 1, padding: 1)
    }
    a = s -> layer_choice("norm") {
        bn: batch_norm
        bn_fixed: batch_norm(affine: false)
        ln: layer_norm
        none: identity
    }
    a = a -> layer_choice("act") {
        relu: relu
        relu6: relu6
        sigmoid: sigmoid
        tanh: tanh
        gelu: gelu
        hardswish: hardswish
    }
    p = a -> layer_choice("pool") {
        max: max_pool2d(kernel: 2)
        avg: avg_pool2d(kernel: 3, stride: 2, padding: 1, count_include_pad: false)
        avg_pad: avg_pool2d(kernel: 2)
        gap: global_avg_pool
    }
    h = p -> flatten -> dropout(p: choice("p", [0.0, 0.5])) -> linear(out: choice("hidden", [8, 16])) -> relu
    return h -> layer_choice("head") {
        logits: linear(out: 3)
        log_probabilities: linear(out: 3) -> log_softmax
    }
    """

    /// Wiring: every input-choice reduction and count, add/mul/concat, blocks in layer choices in repeats,
    /// a fixed repeat, repeat factories, cells (merge all and loose_end, a strided cell), softmax gating.
    static let wiring = """
    space prop_wiring

    input x: [2, 8, 8]

    C = 4

    block Conv(out, k = 3, stride = 1)(x) {
        return x -> conv2d(out: out, kernel: k, stride: stride, padding: k // 2) -> batch_norm -> relu
    }

    stem = x -> Conv(C)
    b1 = stem -> Conv(C)
    b2 = b1 -> layer_choice("b2") {
        conv3: Conv(C, 3)
        conv1: Conv(C, 1)
        skip: identity
        nested: repeat("inner", depth: [1, 2]) { i => layer_choice("inner_op") {
            conv: Conv(C)
            none: zero
        } }
    }
    m = input_choice(stem, b1, b2, label: "mean2", n_chosen: 2, reduction: mean)
    s = input_choice(stem, b1, b2, label: "sum2", n_chosen: 2, reduction: sum)
    c = input_choice(stem, b1, b2, label: "cat2", n_chosen: 2, reduction: concat)
    o = input_choice(stem, b1, label: "one", n_chosen: 1, reduction: none)
    anym = input_choice(b1, b2, label: "any_mean", n_chosen: any, reduction: mean)
    t = add(m, s, anym)
    u = concat(t, c) -> Conv(C)
    v = mul(u, o)
    r = v -> repeat("depth", depth: [0, 1, 2]) { i => Conv(C, i == 0 ? 3 : 1) }
    fixed = r -> repeat(depth: 2) { Conv(C) }
    cellout = (fixed, anym) -> cell("cell", nodes: 2, ops_per_node: 2, merge: loose_end) {
        skip: identity
        conv: Conv(C)
        none: zero
        pool: max_pool2d(kernel: 3, stride: 1, padding: 1)
    }
    cn = cellout -> Conv(C, 1)
    red = (cn, fixed) -> cell("red", nodes: 2, ops_per_node: 1, stride: 2) { st =>
        pool: avg_pool2d(kernel: 3, stride: st, padding: 1)
        conv: Conv(C, 3, st)
    }
    f = red -> global_avg_pool
    gate = f -> softmax
    return mul(f, gate) -> linear(out: 3)
    """

    /// Tabular inputs: layer norm and linear stacks, mean over any subset, concat of two, log-softmax head.
    static let tabular = """
    space prop_tabular

    input x: [6]

    w = choice("w", [4, 8])
    h = x -> linear(out: w) -> layer_choice("norm") {
        ln: layer_norm
        none: identity
    } -> layer_choice("act") {
        relu: relu
        tanh: tanh
    }
    h2 = h -> repeat("depth", depth: [1, 2]) { linear(out: w) -> relu6 }
    k = input_choice(h, h2, label: "skip", n_chosen: any, reduction: mean)
    k2 = input_choice(h, h2, k, label: "cat", n_chosen: 2, reduction: concat)
    return mul(k2, k2) -> linear(out: 2) -> log_softmax
    """

    /// Token ids: an embedding with a value-choice size, masked self-attention with a head-count choice and a residual
    /// layer_norm, the pools over time with and without the padding mask, LSTM and GRU layers (one and two directions,
    /// a hidden-size choice).
    static let sequence = """
    space prop_sequence

    input x: i64[6]

    d = choice("d", [4, 8])
    h = x -> embedding(vocab: 20, dim: d)

    block MaskedMax()(h, ids) {
        return (h, ids) -> max_pool1d(kernel: 3, stride: 1, padding: 1)
    }
    block MaskedAvg(d)(h, ids) {
        return (h, ids) -> avg_pool1d(kernel: 2, stride: 1, padding: 1) -> conv1d(out: 8, kernel: 2) -> conv1d(out: d, kernel: 1)
    }
    h = (h, x) -> layer_choice("window") {
        conv: Conv(d)
        masked_max: MaskedMax()
        masked_avg: MaskedAvg(d)
        none: First()
    }
    block Conv(d)(h, ids) {
        return h -> conv1d(out: d, kernel: 3, padding: same, groups: 2) -> relu
    }
    block First()(h, ids) {
        return h
    }
    s = h -> layer_choice("strided") {
        conv: conv1d(out: 4, kernel: 3, stride: 2, padding: 2, dilation: 2, bias: false)
        max: max_pool1d(kernel: 2) -> transpose(1, 2) -> transpose(-1, -2) -> conv1d(out: 4, kernel: 1)
        avg: avg_pool1d(kernel: 3, stride: 2) -> conv1d(out: 4, kernel: 1)
    }
    t = s -> global_avg_pool1d -> linear(out: 3)
    a = (h, x) -> multihead_attention(heads: choice("heads", [1, 2]))
    n = (a, h) -> add -> layer_norm
    v = (n, x) -> layer_choice("pool") {
        max: global_max_pool1d
        mean: global_avg_pool1d
    }
    u = h -> layer_choice("unmasked") {
        max: global_max_pool1d
        mean: global_avg_pool1d
    }
    hidden = choice("hidden", [4, 6])
    o = add(v, u) -> linear(out: hidden) -> relu -> linear(out: 3)
    q = h -> layer_choice("recurrent") {
        lstm: lstm(hidden: choice("rh", [2, 3]), bidirectional: true) -> gru(hidden: 4)
        gru: gru(hidden: 2, bidirectional: true) -> lstm(4)
    }
    w = (q, x) -> global_avg_pool1d -> linear(out: 3)
    return add(o, t, w)
    """

    /// The spaces written for this test.
    static let written: [(name: String, source: String)] = [("prop_image", imageOps), ("prop_wiring", wiring), ("prop_tabular", tabular),
                                                            ("prop_sequence", sequence)]

    /// Architectures checked per space: all of them up to this many, else this many sampled.
    static let limit = 150

    /// The repository root (this file is Tests/NASCToolTests/TrainabilityPropertyTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The example spaces: all of them, each with a sample budget that keeps `make test` short (the large
    /// 32x32 spaces cost a second or more per architecture in a debug build).
    static let examples: [(name: String, budget: Int)] = {
        let dir = root.appendingPathComponent("examples")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        let large: [String: Int] = ["darts": 1, "nb201": 2, "enas_macro": 2, "mobilenet": 1, "mnist": 6]
        return files.filter { $0.hasSuffix(".nas") }.sorted().map { f in
            let name = String(f.dropLast(4))
            return (name, large[name] ?? 40)
        }
    }()

    /// The architectures of `space` to check: every one when there are at most `limit`, else `limit` sampled.
    static func architectures(_ space: ModelSpace, limit: Int, seed: UInt64) throws -> [Architecture] {
        let search = try SearchSpace(space)
        let first = Array(search.allArchitectures().prefix(limit + 1))
        if first.count <= limit { return first }
        var rng = SplitMix64(seed: seed)
        return (0..<limit).map { _ in search.randomArchitecture(using: &rng) }
    }

    /// Compiles `arch` to a training and an inference plan, runs one training step, one eval step and one
    /// inference forward on random data, and returns a description of the first failure (nil when all is well).
    static func check(_ space: ModelSpace, _ arch: Architecture) -> String? {
        do {
            var options = TrainOptions()
            options.learningRate = 0.01
            let training = try ArchitectureTraining.plan(space, arch, options: options, training: true)
            let inference = try ArchitectureTraining.plan(space, arch, options: options, training: false)
            for plan in [training, inference] {
                try plan.validate()
                // What `nasc compile --arch` writes, `nasc train` and `nasc dump` must read back.
                guard case .plan(let back) = try ProtoIO.decodeFile(try ProtoIO.encode(plan), file: "plan.pb") else {
                    return "the plan did not decode as a plan"
                }
                try back.validate()
            }
            guard let input = space.rootGraph?.inputs.first else { return "no input" }
            let perSample = input.type.shape.dropFirst().reduce(1) { $0 * ($1.value ?? 1) }
            let batch = 3
            var rng = SplitMix64(seed: 7)
            // Token ids for an i64 input: 0 (padding) up to the smallest embedding table, as the data loaders give them.
            let vocab = space.graphs.flatMap(\.nodes).compactMap { n -> Int? in
                if case .embedding(let a) = n.op { return a.vocab.constantInt } else { return nil }
            }.min() ?? 1
            let data = (0..<(batch * perSample)).map { _ in
                input.type.dtype == .i64 ? Float(Int.random(in: 0..<vocab, using: &rng)) : Float.random(in: -1...1, using: &rng)
            }
            let classes = classCount(training)
            let labels = (0..<batch).map { Int64($0 % classes) }
            let exec = try Executor(plan: training, seed: 1)
            let loss = try exec.trainStep(data: data, labels: labels, batch: batch)
            guard loss.isFinite else { return "training loss \(loss)" }
            guard let eval = try exec.forward(data: data, labels: labels, batch: batch, mode: .eval), eval.isFinite else {
                return "eval loss is not finite"
            }
            let infer = try Executor(plan: inference, seed: 1)
            try infer.forward(data: data, batch: batch)
            let finite = infer.withOutput { $0.allSatisfy(\.isFinite) }
            guard finite else { return "inference output is not finite" }
            return nil
        } catch let e as DiagnosticError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    /// The class count of a training plan: the width of its loss step.
    static func classCount(_ plan: Plan) -> Int {
        for st in plan.steps { if case .lossForward(let l) = st.kernel { return l.classes } }
        return 1
    }

    static func run(_ name: String, _ space: ModelSpace, limit: Int) throws -> (checked: Int, failures: [String]) {
        let archs = try architectures(space, limit: limit, seed: 17)
        var failures: [String] = []
        for arch in archs {
            if let f = check(space, arch) {
                let chosen = arch.decisions.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ", ")
                failures.append("\(name) {\(chosen)}: \(f)")
                if failures.count >= 3 { break }
            }
        }
        return (archs.count, failures)
    }

    @Test(arguments: written.map(\.name))
    func writtenSpaceTrains(_ name: String) throws {
        let source = try #require(Self.written.first { $0.name == name }).source
        let space: ModelSpace
        do { space = try Frontend.compile(source: source, file: "\(name).nas") } catch let e as DiagnosticError {
            Issue.record("\(name) does not compile: \(Frontend.render(e, source: source))")
            return
        }
        let (checked, failures) = try Self.run(name, space, limit: Self.limit)
        #expect(checked > 10)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: examples.map(\.name))
    func exampleSpaceTrains(_ name: String) throws {
        let budget = try #require(Self.examples.first { $0.name == name }).budget
        let path = Self.root.appendingPathComponent("examples/\(name).nas").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let space = try Frontend.compile(source: source, file: path)
        let (checked, failures) = try Self.run(name, space, limit: budget)
        #expect(checked >= 1)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// The test spaces cover every op of the language and every input-choice reduction (a new op or reduction
    /// must be added to them).
    @Test func writtenSpacesCoverEveryOpAndReduction() throws {
        var used = Set<String>(), reductions = Set<Reduction>(), primitives = Set<OpKind>()
        for (name, source) in Self.written {
            let space = try Frontend.compile(source: source, file: "\(name).nas")
            for g in space.graphs {
                for n in g.nodes {
                    used.insert(n.op.kind.rawValue)
                    if case .inputChoice(let c) = n.op { reductions.insert(c.reduction) }
                    if n.op.isChoice { primitives.insert(n.op.kind) }
                }
            }
        }
        for op in OpCatalog.specs.keys.sorted() where !used.contains(op) { Issue.record("no test space uses '\(op)'") }
        for r in Reduction.allCases where !reductions.contains(r) { Issue.record("no test space uses reduction \(r.rawValue)") }
        for k in [OpKind.layerChoice, .inputChoice, .repeated, .cell] where !primitives.contains(k) {
            Issue.record("no test space uses \(k.rawValue)")
        }
    }
}
