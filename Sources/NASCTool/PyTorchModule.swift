// PyTorchModule: a flat nasc subnet as a readable PyTorch `nn.Module` source file (model.py) plus its state dict.
import Foundation
import NASCIR

/// Writes `model.py`: one `nn.Module` whose submodules are the subnet's layers, named by nasc's parameter names
/// (`c1.conv2d` holds `c1.conv2d.weight`), so `load_state_dict(strict=True)` takes `model.safetensors` as written.
/// Layers with weights (and dropout) are submodules; everything else is a functional call in `forward`.
struct PyTorchModule {
    let model: ExportableModel
    /// Extra state-dict entries PyTorch expects (`num_batches_tracked` of each batch norm).
    private(set) var batchNormCounters: [String] = []
    private var initLines: [String] = []
    private var forwardLines: [String] = []
    private var variables: [String: String] = [:]
    private var usedVariables = Set<String>()
    private var containers = Set<String>()
    private var layers: [(String, String)] = []
    /// Module-level helper functions `forward` calls (the padding-masked sequence pools), by name.
    private var helpers: [String: String] = [:]

    init(model: ExportableModel) { self.model = model }

    /// The Python class name for a space name (`nb201_digits` -> `Nb201Digits`).
    static func className(_ space: String) -> String {
        let parts = space.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let name = parts.joined()
        return name.first?.isLetter == true ? name : "Model" + name
    }

    /// A valid Python identifier for `s`.
    static func identifier(_ s: String) -> String {
        var out = String(s.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if out.first.map({ !$0.isLetter && $0 != "_" }) ?? true { out = "v_" + out }
        return ["in", "is", "as", "if", "or", "and", "not", "def", "del", "for", "from", "lambda", "return", "class", "pass",
                "with", "while", "yield", "import", "global", "try", "else", "elif", "raise", "break", "None", "True",
                "False", "self", "torch", "nn", "F"].contains(out) ? out + "_" : out
    }

    /// How `forward` reaches the submodule at a dotted path: `self.a.b`, or `self.get_submodule("s1.0.conv")`.
    static func access(_ path: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        if parts.allSatisfy({ identifier($0) == $0 }) { return "self." + path }
        return "self.get_submodule(\"\(path)\")"
    }

    /// Records a submodule for `__init__`.
    private mutating func submodule(_ path: String, _ constructor: String) { layers.append((path, constructor)) }

    /// The `__init__` lines: layers by depth (a layer may also hold deeper ones, e.g. a separable convolution's
    /// pointwise `sep` holds `sep.depthwise`), with `nn.Module()` containers for prefixes that are no layer.
    private mutating func registerLayers() {
        let paths = Set(layers.map(\.0))
        let ordered = layers.enumerated().sorted {
            let (a, b) = ($0.element.0.split(separator: ".").count, $1.element.0.split(separator: ".").count)
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        for (path, constructor) in ordered {
            let parts = path.split(separator: ".").map(String.init)
            for i in 1..<max(parts.count, 1) {
                let prefix = parts[0..<i].joined(separator: ".")
                if !paths.contains(prefix) && containers.insert(prefix).inserted {
                    initLines.append(Self.register(prefix, "nn.Module()"))
                }
            }
            initLines.append(Self.register(path, constructor))
        }
    }

    private static func register(_ path: String, _ constructor: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        let parent = parts.count == 1 ? "self" : access(parts.dropLast().joined(separator: "."))
        let leaf = parts.last!
        if identifier(leaf) == leaf { return "\(parent).\(leaf) = \(constructor)" }
        return "\(parent).add_module(\"\(leaf)\", \(constructor))"
    }

    /// A fresh Python variable for a nasc value.
    private mutating func variable(for node: String) -> String {
        var v = Self.identifier(node), k = 1
        while !usedVariables.insert(v).inserted { v = Self.identifier(node) + "_\(k)"; k += 1 }
        variables[node] = v
        return v
    }

    /// The source of model.py.
    mutating func source() throws -> String {
        let g = model.graph
        let input = g.inputs[0]
        let xin = variable(for: input.name)
        if let n = model.normalization {
            let shape = ([1, n.mean.count] + [Int](repeating: 1, count: max(input.type.rank - 2, 0))).map(String.init)
                .joined(separator: ", ")
            initLines.append("self.input_normalization = InputNormalization(\(shape))")
            forwardLines.append("\(xin) = self.input_normalization(\(xin))")
        }
        var params: [String: ParamAttrs] = [:]
        for n in g.nodes { if case .param(let p) = n.op { params[n.name] = p } }
        for n in g.nodes { try emit(n, params) }
        registerLayers()
        let outputs = g.outputs.map { variables[$0.node] ?? Self.identifier($0.node) }
        let compact = model.architectureJSON.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let arch = compact.isEmpty ? "" : "\n# Architecture (NNI v3): \(compact)"
        var s = """
        # model.py: the architecture nasc found in space '\(model.spaceName)', as a plain PyTorch module.
        # Written by `nasc export --format pytorch`; load the weights with
        #   model.load_state_dict(safetensors.torch.load_file("model.safetensors"), strict=True)\(arch)
        import torch
        import torch.nn.functional as F
        from torch import nn


        """
        if model.normalization != nil {
            s += """
            class InputNormalization(nn.Module):
                \"\"\"Per-channel (x - mean) * inv_std with the training split's statistics (nasc normalizes inputs).\"\"\"

                def __init__(self, *shape):
                    super().__init__()
                    self.register_buffer("mean", torch.zeros(shape))
                    self.register_buffer("inv_std", torch.ones(shape))

                def forward(self, x):
                    return (x - self.mean) * self.inv_std


            """
        }
        for name in helpers.keys.sorted() { s += helpers[name]! + "\n\n" }
        s += "class \(Self.className(model.spaceName))(nn.Module):\n"
        s += "    \"\"\"Input \(input.name): \(input.type) (N is the batch).\"\"\"\n\n"
        s += "    def __init__(self):\n        super().__init__()\n"
        s += initLines.map { "        " + $0 + "\n" }.joined()
        s += "\n    def forward(self, \(xin)):\n"
        s += forwardLines.map { "        " + $0 + "\n" }.joined()
        s += "        return " + outputs.joined(separator: ", ") + "\n"
        return s
    }

    private mutating func emit(_ n: Node, _ params: [String: ParamAttrs]) throws {
        if case .param = n.op { return }
        let ins = n.inputs.map { variables[$0.node] ?? Self.identifier($0.node) }
        let x = ins.first ?? ""
        // The layer's module path: its first parameter's name without the tensor suffix.
        let weight = n.inputs.dropFirst().compactMap { params[$0.node] }
        let path = weight.first.map { String($0.name.split(separator: ".").dropLast().joined(separator: ".")) } ?? n.name
        func int(_ e: ValueExpr) throws -> Int {
            guard let v = e.constantInt else { throw unsupported(n) }
            return v
        }
        func pad(_ p: Padding, _ k: Int, _ s: Int, _ d: Int) throws -> Int {
            guard let t = model.graph.type(of: n.inputs[0]), t.rank == 4, let h = t.shape[2].value,
                  let v = p.symmetricPixels(kernel: k, stride: s, dilation: d, size: h) else { throw unsupported(n) }
            return v
        }
        var call: String
        switch n.op {
        case .conv2d(let a):
            let w = weight[0].shape, k = try int(a.kernel), s = try int(a.stride), d = try int(a.dilation), g = try int(a.groups)
            submodule(path, "nn.Conv2d(\(w[1] * g), \(w[0]), \(k), stride=\(s), padding=\(try pad(a.padding, k, s, d)), "
                            + "dilation=\(d), groups=\(g), bias=\(a.bias ? "True" : "False"))")
            call = "\(Self.access(path))(\(x))"
        case .depthwiseConv2d(let a):
            let c = weight[0].shape[0], k = try int(a.kernel), s = try int(a.stride), d = try int(a.dilation)
            submodule(path, "nn.Conv2d(\(c), \(c), \(k), stride=\(s), padding=\(try pad(a.padding, k, s, d)), "
                            + "dilation=\(d), groups=\(c), bias=\(a.bias ? "True" : "False"))")
            call = "\(Self.access(path))(\(x))"
        case .linear(let a):
            let w = weight[0].shape
            submodule(path, "nn.Linear(\(w[1]), \(w[0]), bias=\(a.bias ? "True" : "False"))")
            call = "\(Self.access(path))(\(x))"
        case .batchNorm(let a):
            let c = weight.last!.shape[0]
            let rank = model.graph.type(of: n.inputs[0])?.rank ?? 4
            let kind = rank == 5 ? "BatchNorm3d" : rank == 4 ? "BatchNorm2d" : "BatchNorm1d"
            submodule(path, "nn.\(kind)(\(c), eps=\(a.eps), momentum=\(a.momentum), affine=\(a.affine ? "True" : "False"))")
            batchNormCounters.append(path + ".num_batches_tracked")
            call = "\(Self.access(path))(\(x))"
        case .layerNorm(let a):
            guard let t = model.graph.type(of: n.inputs[0]), let d = t.shape.last?.value else { throw unsupported(n) }
            submodule(path, "nn.LayerNorm(\(d), eps=\(a.eps), elementwise_affine=\(a.affine ? "True" : "False"))")
            call = "\(Self.access(path))(\(x))"
        case .activation(let f):
            switch f {
            case .relu: call = "F.relu(\(x))"
            case .relu6: call = "F.relu6(\(x))"
            case .sigmoid: call = "torch.sigmoid(\(x))"
            case .tanh: call = "torch.tanh(\(x))"
            case .gelu: call = "F.gelu(\(x))"
            case .hardswish: call = "F.hardswish(\(x))"
            }
        case .maxPool2d(let a), .avgPool2d(let a):
            let k = try int(a.kernel), s = try a.stride.map(int) ?? k, p = try pad(a.padding, k, s, 1)
            if case .maxPool2d = n.op {
                call = "F.max_pool2d(\(x), \(k), stride=\(s), padding=\(p))"
            } else {
                call = "F.avg_pool2d(\(x), \(k), stride=\(s), padding=\(p), count_include_pad=\(a.countIncludePad ? "True" : "False"))"
            }
        case .globalAvgPool: call = "\(x).mean((2, 3))"
        case .flatten: call = "torch.flatten(\(x), 1)"
        case .dropout(let p):
            submodule(path, "nn.Dropout(p=\(p.constant?.asDouble ?? 0))")
            call = "\(Self.access(path))(\(x))"
        case .add: call = ins.joined(separator: " + ")
        case .mul: call = ins.joined(separator: " * ")
        case .scale(let factor): call = "\(x) * \(factor)"
        case .concat(let axis): call = "torch.cat([\(ins.joined(separator: ", "))], dim=\(axis))"
        case .identity: call = x
        case .zero(let stride):
            let s = try int(stride)
            call = s == 1 ? "torch.zeros_like(\(x))" : "torch.zeros_like(\(x)[:, :, ::\(s), ::\(s)])"
        case .multiheadAttention(let a):
            guard let t = model.graph.type(of: n.inputs[0]), t.rank == 3, let d = t.shape[2].value else { throw unsupported(n) }
            submodule(path, "nn.MultiheadAttention(\(d), \(try int(a.heads)), batch_first=True)")
            let m = Self.access(path)
            if weight.count == 4, ins.count == 6 {
                // Padding keys (id 0) masked; a sequence of padding only attends to nothing in nasc (PyTorch gives NaN):
                // its output is the output projection's bias.
                let ids = ins[1]
                call = "torch.where((\(ids) != 0).any(1)[:, None, None], \(m)(\(x), \(x), \(x), key_padding_mask=\(ids) == 0, "
                    + "need_weights=False)[0], \(m).out_proj.bias)"
            } else {
                call = "\(m)(\(x), \(x), \(x), need_weights=False)[0]"
            }
        case .lstm(let a), .gru(let a):
            // nn.LSTM / nn.GRU hold weight_ih_l0, ... (and _reverse) under the layer's path; the output sequence is [0].
            let w = weight[0].shape, module = n.op.kind == .lstm ? "LSTM" : "GRU"
            submodule(path, "nn.\(module)(\(w[1]), \(try int(a.hidden)), batch_first=True\(a.bidirectional ? ", bidirectional=True" : ""))")
            call = "\(Self.access(path))(\(x))[0]"
        case .softmax(let axis): call = "F.softmax(\(x), dim=\(axis))"
        case .embedding, .conv1d, .maxPool1d, .avgPool1d, .globalMaxPool1d, .globalAvgPool1d, .transpose:
            call = try sequenceCall(n, ins, weight.map(\.shape), path)
        case .logSoftmax(let axis): call = "F.log_softmax(\(x), dim=\(axis))"
        default: throw unsupported(n)
        }
        let v = variable(for: n.name)
        forwardLines.append("\(v) = \(call)")
    }

    /// The Python call of a sequence op (`[N,T,C]`, channels last): embeddings and 1-D convolutions are submodules,
    /// the padding-masked pools module-level helpers.
    private mutating func sequenceCall(_ n: Node, _ ins: [String], _ weights: [[Int]], _ path: String) throws -> String {
        let x = ins[0]
        func int(_ e: ValueExpr) throws -> Int {
            guard let v = e.constantInt else { throw unsupported(n) }
            return v
        }
        func pad(_ p: Padding, _ k: Int, _ s: Int, _ d: Int) throws -> Int {
            guard let t = model.graph.type(of: n.inputs[0]), t.rank == 3, let len = t.shape[1].value,
                  let v = p.symmetricPixels(kernel: k, stride: s, dilation: d, size: len) else { throw unsupported(n) }
            return v
        }
        switch n.op {
        case .embedding:
            guard let w = weights.first else { throw unsupported(n) }
            submodule(path, "nn.Embedding(\(w[0]), \(w[1]))")
            return "\(Self.access(path))(\(x))"
        case .conv1d(let a):
            guard let w = weights.first else { throw unsupported(n) }
            let k = try int(a.kernel), s = try int(a.stride), d = try int(a.dilation), g = try int(a.groups)
            submodule(path, "nn.Conv1d(\(w[1] * g), \(w[0]), \(k), stride=\(s), padding=\(try pad(a.padding, k, s, d)), "
                            + "dilation=\(d), groups=\(g), bias=\(a.bias ? "True" : "False"))")
            return "\(Self.access(path))(\(x).transpose(1, 2)).transpose(1, 2)"
        case .transpose(let a):
            return "\(x).transpose(\(a.dim0), \(a.dim1))"
        case .globalAvgPool1d where ins.count == 1: return "\(x).mean(1)"
        case .globalMaxPool1d where ins.count == 1: return "\(x).amax(1)"
        case .globalAvgPool1d:
            helpers["masked_mean"] = """
            def masked_mean(h, ids):
                \"\"\"Mean over time of the steps whose token id is not 0 (padding); 0 for a sequence of padding only.\"\"\"
                m = (ids != 0).unsqueeze(-1).to(h.dtype)
                return (h * m).sum(1) / m.sum(1).clamp(min=1)

            """
            return "masked_mean(\(x), \(ins[1]))"
        case .globalMaxPool1d:
            helpers["masked_max"] = """
            def masked_max(h, ids):
                \"\"\"Max over time of the steps whose token id is not 0 (padding); 0 for a sequence of padding only.\"\"\"
                m = (ids != 0).unsqueeze(-1)
                y = h.masked_fill(~m, float("-inf")).amax(1)
                return torch.where(m.any(1), y, torch.zeros_like(y))

            """
            return "masked_max(\(x), \(ins[1]))"
        case .maxPool1d(let a), .avgPool1d(let a):
            let k = try int(a.kernel), s = try a.stride.map(int) ?? k, p = try pad(a.padding, k, s, 1)
            let isMax = n.op.kind == .maxPool1d
            guard ins.count > 1 else {
                return isMax ? "F.max_pool1d(\(x).transpose(1, 2), \(k), stride=\(s), padding=\(p)).transpose(1, 2)"
                    : "F.avg_pool1d(\(x).transpose(1, 2), \(k), stride=\(s), padding=\(p), count_include_pad=False).transpose(1, 2)"
            }
            helpers["masked_pool1d"] = """
            def masked_pool1d(h, ids, kernel, stride, padding, max_pool):
                \"\"\"Max or mean over windows of time of [N,T,C] skipping padding tokens (id 0) and padded steps; 0 for a
                window of nothing else.\"\"\"
                m = (ids != 0).unsqueeze(1).to(h.dtype)
                x = h.transpose(1, 2)
                counted = F.avg_pool1d(m, kernel, stride, padding, count_include_pad=True)
                if max_pool:
                    y = F.max_pool1d(x.masked_fill(m == 0, float("-inf")), kernel, stride, padding)
                    y = torch.where(counted > 0, y, torch.zeros_like(y))
                else:
                    y = F.avg_pool1d(x * m, kernel, stride, padding, count_include_pad=True) / counted.clamp(min=0.5 / kernel)
                return y.transpose(1, 2)

            """
            return "masked_pool1d(\(x), \(ins[1]), \(k), \(s), \(p), \(isMax ? "True" : "False"))"
        default:
            throw unsupported(n)
        }
    }

    private func unsupported(_ n: Node) -> DiagnosticError {
        DiagnosticError(.error("cannot export '\(n.op.kind.rawValue)' node '\(n.name)' to PyTorch", at: n.location))
    }
}
