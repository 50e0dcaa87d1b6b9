// BenchModels: the benchmark networks (a: MNIST net, c: DARTS fixed subnet) built by hand as typed IR model spaces
// (b, the supernet, is a text-IR space compiled by the supernet pass: BenchSupernet).
import NASCIR

/// The models of ../shared/bench/torch_ref.py, as typed root graphs (what shape inference would leave).
enum BenchModels {
    /// Builds a typed root graph node by node.
    struct Builder {
        var graph: Graph
        init(input: TensorType) { graph = Graph(name: "main", inputs: [GraphInput(name: "x", type: input)]) }

        @discardableResult
        mutating func add(_ name: String, _ op: Op, _ inputs: [String], _ type: TensorType) -> String {
            graph.nodes.append(Node(name: name, op: op, inputs: inputs.map { ValueRef($0) }, types: [type]))
            return name
        }

        func space(_ name: String, outputs: [String]) -> ModelSpace {
            var g = graph
            g.outputs = outputs.map { ValueRef($0) }
            return ModelSpace(name: name, root: "main", graphs: [g])
        }
    }

    /// `f32[N, dims...]`.
    static func f(_ dims: Int...) -> TensorType { TensorType(.f32, [.batch] + dims.map { .fixed($0) }) }

    static func conv(_ out: Int, _ k: Int, pad: Int = 0) -> Op {
        .conv2d(Conv2DAttrs(outChannels: .int(out), kernel: .int(k), padding: .explicit(.int(pad))))
    }

    /// (a) PyTorch's MNIST example: conv(1->32,3) relu conv(32->64,3) relu maxpool2 dropout(.25) flatten
    /// fc(9216->128) relu dropout(.5) fc(128->10) log_softmax. Input `[N,1,28,28]`.
    static func mnist() -> ModelSpace {
        var b = Builder(input: f(1, 28, 28))
        b.add("conv1", conv(32, 3), ["x"], f(32, 26, 26))
        b.add("relu1", .activation(.relu), ["conv1"], f(32, 26, 26))
        b.add("conv2", conv(64, 3), ["relu1"], f(64, 24, 24))
        b.add("relu2", .activation(.relu), ["conv2"], f(64, 24, 24))
        b.add("pool", .maxPool2d(Pool2DAttrs(kernel: .int(2))), ["relu2"], f(64, 12, 12))
        b.add("dropout1", .dropout(p: .float(0.25)), ["pool"], f(64, 12, 12))
        b.add("flat", .flatten, ["dropout1"], f(9216))
        b.add("fc1", .linear(LinearAttrs(outFeatures: .int(128))), ["flat"], f(128))
        b.add("relu3", .activation(.relu), ["fc1"], f(128))
        b.add("dropout2", .dropout(p: .float(0.5)), ["relu3"], f(128))
        b.add("fc2", .linear(LinearAttrs(outFeatures: .int(10))), ["dropout2"], f(10))
        b.add("output", .logSoftmax(axis: 1), ["fc2"], f(10))
        return b.space("bench_a_mnist", outputs: ["output"])
    }

    /// (c) The fixed conv3x3 subnet of the DARTS-style stack: stem conv(3->16,3,pad1)+BN, 4 x relu(conv3x3(16->16,pad1)),
    /// global average pool, fc(16->10). Input `[N,3,32,32]`; cross-entropy loss on the logits.
    static func subnet(channels c: Int = 16, layers: Int = 4) -> ModelSpace {
        var b = Builder(input: f(3, 32, 32))
        b.add("stem_conv", conv(c, 3, pad: 1), ["x"], f(c, 32, 32))
        var last = b.add("stem_bn", .batchNorm(BatchNormAttrs()), ["stem_conv"], f(c, 32, 32))
        for l in 0..<layers {
            b.add("conv\(l)", conv(c, 3, pad: 1), [last], f(c, 32, 32))
            last = b.add("relu\(l)", .activation(.relu), ["conv\(l)"], f(c, 32, 32))
        }
        b.add("gap", .globalAvgPool, [last], f(c))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(10))), ["gap"], f(10))
        return b.space("bench_c_subnet", outputs: ["fc"])
    }

    /// (attn64, attn128) One self-attention layer at text-classification sizes: `[N, 64, D]` -> multihead_attention
    /// (4 heads, PyTorch nn.MultiheadAttention) -> mean over time -> fc(D->10); scripts/bench/torch_attention.py is
    /// PyTorch's side.
    static func attention(dim d: Int, length t: Int = 64, heads: Int = 4) -> ModelSpace {
        var b = Builder(input: f(t, d))
        b.add("attention", .multiheadAttention(AttentionAttrs(heads: .int(heads))), ["x"], f(t, d))
        b.add("pool", .globalAvgPool1d, ["attention"], f(d))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(10))), ["pool"], f(10))
        return b.space("bench_attention_\(d)", outputs: ["fc"])
    }

    /// (lstm, gru) One recurrent layer at text-classification sizes: `[N, 64, 128]` -> lstm / gru (hidden 128, PyTorch
    /// nn.LSTM / nn.GRU, batch first) -> mean over time -> fc(128->10); scripts/bench/torch_recurrent.py is PyTorch's side.
    static func recurrent(_ cell: RecurrentCell, length t: Int = 64, dim d: Int = 128, hidden h: Int = 128) -> ModelSpace {
        var b = Builder(input: f(t, d))
        let a = RecurrentAttrs(hidden: .int(h))
        b.add("rnn", cell == .lstm ? .lstm(a) : .gru(a), ["x"], f(t, h))
        b.add("pool", .globalAvgPool1d, ["rnn"], f(h))
        b.add("fc", .linear(LinearAttrs(outFeatures: .int(10))), ["pool"], f(10))
        return b.space("bench_\(cell.rawValue)", outputs: ["fc"])
    }
}
