// OpCatalog: the base ops the language knows, their aliases, attributes, positional order and defaults.
import NASCIR

/// How an attribute's value is written and checked.
enum AttrType: Hashable, Sendable {
    /// A number or value-choice expression.
    case expr
    /// A constant integer (a value choice is rejected: the shape must be fixed).
    case constInt
    /// A constant number.
    case constFloat
    case bool
    /// A number, `same` or `valid`.
    case padding
}

/// One attribute of an op as the language spells it.
struct AttrSpec: Hashable, Sendable {
    var name: String
    var type: AttrType
    var required: Bool = false
    /// Language-level default applied when the attribute is omitted (IR defaults otherwise).
    var defaultValue: ValueExpr? = nil
}

/// The language's view of one IR op kind.
struct OpSpec: Sendable {
    var kind: OpKind
    var attributes: [AttrSpec]
    /// Attribute names that positional number arguments fill, in order (`conv2d(x, 32, 3)`).
    var positional: [String]
    var summary: String

    func attribute(_ name: String) -> AttrSpec? { attributes.first { $0.name == name } }
}

/// The table of base ops.
enum OpCatalog {
    static let conv: [AttrSpec] = [
        AttrSpec(name: "in", type: .expr), AttrSpec(name: "out", type: .expr, required: true),
        AttrSpec(name: "kernel", type: .expr, required: true), AttrSpec(name: "stride", type: .expr),
        AttrSpec(name: "padding", type: .padding), AttrSpec(name: "dilation", type: .expr),
        AttrSpec(name: "groups", type: .expr), AttrSpec(name: "bias", type: .bool),
    ]

    /// Every op by its canonical language name (the IR's text name).
    static let specs: [String: OpSpec] = {
        var t: [String: OpSpec] = [:]
        func add(_ kind: OpKind, _ attrs: [AttrSpec], _ pos: [String], _ summary: String) {
            t[kind.rawValue] = OpSpec(kind: kind, attributes: attrs, positional: pos, summary: summary)
        }
        add(.conv2d, conv, ["out", "kernel", "stride", "padding"], "2-D convolution; input channels inferred")
        add(.depthwiseConv2d, [
            AttrSpec(name: "kernel", type: .expr, required: true), AttrSpec(name: "stride", type: .expr),
            AttrSpec(name: "padding", type: .padding), AttrSpec(name: "dilation", type: .expr), AttrSpec(name: "bias", type: .bool),
        ], ["kernel", "stride", "padding"], "one filter per channel")
        add(.separableConv2d, [
            AttrSpec(name: "out", type: .expr, required: true), AttrSpec(name: "kernel", type: .expr, required: true),
            AttrSpec(name: "stride", type: .expr), AttrSpec(name: "padding", type: .padding),
            AttrSpec(name: "dilation", type: .expr), AttrSpec(name: "bias", type: .bool),
        ], ["out", "kernel", "stride", "padding"], "depthwise then 1x1 pointwise convolution")
        add(.linear, [AttrSpec(name: "in", type: .expr), AttrSpec(name: "out", type: .expr, required: true),
                      AttrSpec(name: "bias", type: .bool)], ["out"], "fully connected layer over the last dimension")
        add(.batchNorm, [AttrSpec(name: "eps", type: .constFloat), AttrSpec(name: "momentum", type: .constFloat),
                         AttrSpec(name: "affine", type: .bool)], [], "batch normalization over channels")
        add(.layerNorm, [AttrSpec(name: "eps", type: .constFloat), AttrSpec(name: "affine", type: .bool)], [],
            "layer normalization over the last dimension")
        for a in [OpKind.relu, .relu6, .sigmoid, .tanh, .gelu, .hardswish] { add(a, [], [], "activation") }
        let pool = [AttrSpec(name: "kernel", type: .expr, required: true), AttrSpec(name: "stride", type: .expr),
                    AttrSpec(name: "padding", type: .padding)]
        add(.maxPool2d, pool, ["kernel", "stride", "padding"], "max pooling (stride defaults to kernel)")
        add(.avgPool2d, pool + [AttrSpec(name: "count_include_pad", type: .bool)], ["kernel", "stride", "padding"],
            "average pooling (stride defaults to kernel)")
        add(.globalAvgPool, [], [], "global average pooling: [N,C,H,W] to [N,C]")
        add(.flatten, [], [], "flatten all dimensions after the batch")
        add(.dropout, [AttrSpec(name: "p", type: .expr, defaultValue: .float(0.5))], ["p"], "dropout")
        add(.add, [], [], "elementwise sum of 2 or more tensors")
        add(.mul, [], [], "elementwise product of 2 or more tensors")
        add(.concat, [AttrSpec(name: "axis", type: .constInt)], [], "concatenation (axis 1 = channels by default)")
        add(.identity, [], [], "passes its input through")
        add(.zero, [AttrSpec(name: "stride", type: .expr)], ["stride"], "zeros shaped like the (strided) input: DARTS's none")
        add(.softmax, [AttrSpec(name: "axis", type: .constInt)], [], "softmax (last axis by default)")
        add(.logSoftmax, [AttrSpec(name: "axis", type: .constInt)], [], "log-softmax (last axis by default)")
        return t
    }()

    /// Alternative spellings, PyTorch-flavoured.
    static let aliases: [String: String] = [
        "dw_conv2d": "depthwise_conv2d", "sep_conv2d": "separable_conv2d", "batchnorm": "batch_norm",
        "batchnorm2d": "batch_norm", "layernorm": "layer_norm", "maxpool": "max_pool2d", "maxpool2d": "max_pool2d",
        "avgpool": "avg_pool2d", "avgpool2d": "avg_pool2d", "gap": "global_avg_pool", "multiply": "mul",
        "cat": "concat",
    ]

    /// Attribute spellings accepted for PyTorch users.
    static let attributeAliases: [String: String] = [
        "out_channels": "out", "in_channels": "in", "out_features": "out", "in_features": "in", "kernel_size": "kernel",
    ]

    /// Sequence ops the language reserves for a later version.
    static let reserved: Set<String> = ["embedding", "conv1d", "lstm", "gru", "rnn", "rnn_cell", "lstm_cell", "gru_cell",
                                        "attention", "multihead_attention", "transformer"]

    /// The spec for a name or alias.
    static func lookup(_ name: String) -> OpSpec? { specs[aliases[name] ?? name] }

    /// Every name the language accepts for an op, sorted (for suggestions).
    static var allNames: [String] { (Array(specs.keys) + Array(aliases.keys)).sorted() }
}

/// Edit distance for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    for i in 1...x.count {
        var cur = [i] + Array(repeating: 0, count: y.count)
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[y.count]
}

/// The closest candidate within a small distance, for "did you mean 'x'?" hints.
func closest(_ name: String, among names: [String]) -> String? {
    let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        .filter { $0.1 <= max(1, name.count / 3) && $0.1 < name.count && $0.0 != name }
    return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
}
