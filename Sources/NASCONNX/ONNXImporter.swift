// ONNXImporter: the per-op translation of ONNX nodes into .nas statements (the inverse table of docs/export.md).
import Foundation
import NASCIR

/// Walks one ONNX graph in node order, emitting `.nas` statements and collecting weights.
struct ONNXImporter {
    let graph: Onnx_GraphProto
    let file: String
    /// Constant tensors: initializers and `Constant` nodes.
    private var constants: [String: (shape: [Int], values: [Float])] = [:]
    /// Nodes reading each value.
    private var consumers: [String: [Int]] = [:]
    /// `.nas` variable of each ONNX value.
    private var variables: [String: String] = [:]
    private var taken = Set<String>()
    /// Names the `.nas` language reserves (keywords, ops and aliases), from the front end.
    private let isReserved: (String) -> Bool
    private var lines: [String] = []
    private var tensors: [ONNXImport.Tensor] = []
    private var normalization: Checkpoint.Normalization?
    private var skipped = Set<Int>()
    private let input: Onnx_ValueInfoProto
    private let sampleShape: [Int]

    init(graph: Onnx_GraphProto, file: String, isReserved: @escaping (String) -> Bool) throws {
        self.graph = graph
        self.file = file
        self.isReserved = isReserved
        var constants: [String: (shape: [Int], values: [Float])] = [:]
        for t in graph.initializer { if let c = try Self.floats(t, file: file) { constants[t.name] = c } }
        for n in graph.node where n.opType == "Constant" && !n.output.isEmpty {
            if let a = n.attribute.first(where: { $0.name == "value" }), a.hasT, let c = try Self.floats(a.t, file: file) {
                constants[n.output[0]] = c
            }
        }
        self.constants = constants
        let inputs = graph.input.filter { constants[$0.name] == nil }
        guard inputs.count == 1, let input = inputs.first else {
            throw DiagnosticError(.error("nasc imports models with one input, this one has \(inputs.count)", at: SourceLocation(file: file)))
        }
        self.input = input
        let dims = input.type.tensorType.shape.dim
        guard input.type.tensorType.elemType == 1, dims.count >= 2 else {
            throw DiagnosticError(.error("input '\(input.name)' must be a float tensor [N, ...] with a known rank", at: SourceLocation(file: file)))
        }
        var sample: [Int] = []
        for (i, d) in dims.enumerated().dropFirst() {
            guard case .dimValue(let v)? = d.value, v > 0 else {
                let what: String
                if case .dimParam(let p)? = d.value { what = "symbolic ('\(p)')" } else { what = "unknown" }
                throw DiagnosticError(.error("input '\(input.name)' dimension \(i) is \(what); nasc needs a fixed sample shape "
                                             + "(export with fixed sizes except the batch)", at: SourceLocation(file: file)))
            }
            sample.append(Int(v))
        }
        sampleShape = sample
        var consumers: [String: [Int]] = [:]
        for (i, n) in graph.node.enumerated() { for x in n.input where !x.isEmpty { consumers[x, default: []].append(i) } }
        self.consumers = consumers
    }

    /// Largest tensor an import reads (elements): far above any model nasc trains, far below what would exhaust memory.
    static let maxElements = 1 << 31

    /// Little-endian float data (raw or float_data) of a FLOAT tensor; INT64 tensors are kept as floats for shapes.
    /// `nil` for other element types (a node reading one is an unsupported op). Dimensions and sizes are checked
    /// before any allocation: negative or overflowing shapes and data of the wrong size are errors naming the tensor.
    static func floats(_ t: Onnx_TensorProto, file: String) throws -> (shape: [Int], values: [Float])? {
        guard t.dataType == 1 || t.dataType == 7 else { return nil }
        func bad(_ why: String) -> DiagnosticError {
            DiagnosticError(.error("tensor '\(t.name)' \(why)", at: SourceLocation(file: file)))
        }
        var count = 1
        for d in t.dims {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard d >= 0, !overflow, product <= maxElements else { throw bad("has an impossible shape \(t.dims)") }
            count = product
        }
        let shape = t.dims.map { Int($0) }
        let width = t.dataType == 1 ? 4 : 8
        var values: [Float]
        if !t.rawData.isEmpty {
            guard t.rawData.count == count * width else { throw bad("has \(t.rawData.count) bytes for shape \(shape)") }
            values = [Float](repeating: 0, count: count)
            t.rawData.withUnsafeBytes { raw in
                for i in 0..<count {
                    values[i] = width == 4
                        ? Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                        : Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                }
            }
        } else {
            values = t.dataType == 1 ? t.floatData : t.int64Data.map { Float($0) }
        }
        guard values.count == count else { throw bad("has \(values.count) values for shape \(shape)") }
        return (shape, values)
    }

    mutating func run(spaceName: String) throws -> ONNXImport.Result {
        variables[input.name] = fresh(input.name.isEmpty ? "x" : input.name)
        detectNormalization()
        for (i, n) in graph.node.enumerated() where !skipped.contains(i) && n.opType != "Constant" { try translate(i, n) }
        guard graph.output.count == 1, let out = variables[graph.output[0].name] else {
            throw DiagnosticError(.error("nasc imports models with one output, this one has \(graph.output.count)", at: SourceLocation(file: file)))
        }
        var source = "# Imported from \(URL(fileURLWithPath: file).lastPathComponent) by `nasc import`: edit it to add choices.\n"
        source += "space \(spaceName)\n\ninput \(variables[input.name]!): [\(sampleShape.map(String.init).joined(separator: ", "))]\n\n"
        source += lines.joined(separator: "\n") + "\nreturn \(out)\n"
        return ONNXImport.Result(source: source, tensors: tensors, normalization: normalization)
    }

    /// A leading `Sub(x, mean) -> Mul(_, inv_std)` with per-channel constants (nasc's exported normalization).
    private mutating func detectNormalization() {
        guard let subs = consumers[input.name], subs.count == 1 else { return }
        let sub = graph.node[subs[0]]
        guard sub.opType == "Sub", sub.input.count == 2, sub.output.count == 1, sub.input[0] == input.name,
              let mean = constants[sub.input[1]], let muls = consumers[sub.output[0]], muls.count == 1 else { return }
        let mul = graph.node[muls[0]]
        guard mul.opType == "Mul", mul.input.count == 2, mul.output.count == 1, mul.input[0] == sub.output[0], let scale = constants[mul.input[1]],
              let c = sampleShape.first, mean.values.count == c, scale.values.count == c,
              mean.shape.count >= 2, mean.shape[1] == c, scale.values.allSatisfy({ $0 > 0 }) else { return }
        normalization = Checkpoint.Normalization(mean: mean.values, std: scale.values.map { 1 / $0 })
        skipped.formUnion([subs[0], muls[0]])
        variables[mul.output[0]] = variables[input.name]
    }

    /// A fresh `.nas` identifier from any name (`/layer1/conv/Conv` -> `layer1_conv_Conv`).
    private mutating func fresh(_ name: String) -> String {
        var base = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        while base.contains("__") { base = base.replacingOccurrences(of: "__", with: "_") }
        base = base.trimmingCharacters(in: CharacterSet(charactersIn: "_"))
        if base.isEmpty || base.first!.isNumber { base = "v" + (base.isEmpty ? "" : "_" + base) }
        var v = base, k = 1
        while taken.contains(v) || isReserved(v) { v = "\(base)_\(k)"; k += 1 }
        taken.insert(v)
        return v
    }

    private func unsupported(_ n: Onnx_NodeProto, _ why: String = "") -> DiagnosticError {
        let name = n.name.isEmpty ? (n.output.first ?? "?") : n.name
        return DiagnosticError(.error("unsupported ONNX op '\(n.opType)' (node '\(name)')" + (why.isEmpty ? "" : ": " + why),
                                      at: SourceLocation(file: file)))
    }

    private func ints(_ n: Onnx_NodeProto, _ name: String) -> [Int]? {
        n.attribute.first { $0.name == name }.map { $0.ints.map { Int($0) } }
    }
    private func int(_ n: Onnx_NodeProto, _ name: String) -> Int? {
        n.attribute.first { $0.name == name }.map { Int($0.i) }
    }
    private func float(_ n: Onnx_NodeProto, _ name: String) -> Float? {
        n.attribute.first { $0.name == name }.map { $0.f }
    }

    /// The variable of a value input.
    private func value(_ n: Onnx_NodeProto, _ i: Int) throws -> String {
        guard i < n.input.count, let v = variables[n.input[i]] else {
            throw unsupported(n, "input \(i) is not a tensor computed by the graph (a constant operand?)")
        }
        return v
    }

    /// A constant input.
    private func constant(_ n: Onnx_NodeProto, _ i: Int) throws -> (shape: [Int], values: [Float]) {
        guard i < n.input.count, let c = constants[n.input[i]] else { throw unsupported(n, "input \(i) must be a constant") }
        return c
    }

    /// The statement name for a layer: its weight's name without the last component, else the node's name.
    private mutating func name(for n: Onnx_NodeProto, weightInput: Int? = nil) -> String {
        if let w = weightInput, w < n.input.count, constants[n.input[w]] != nil {
            let parts = n.input[w].split(separator: ".")
            if parts.count > 1 { return fresh(parts.dropLast().joined(separator: ".")) }
        }
        return fresh(Self.readableName(n))
    }

    /// A node name without exporter noise: PyTorch's `/layer1/layer1.0/conv1/Conv` -> `layer1.0.conv1` (module paths
    /// repeat their prefixes; the last part is the op type).
    static func readableName(_ n: Onnx_NodeProto) -> String {
        guard !n.name.isEmpty else { return n.opType.lowercased() }
        var parts = n.name.split(separator: "/").map(String.init)
        guard parts.count > 1 else { return n.name }
        if parts.last == n.opType || parts.last?.hasPrefix(n.opType + "_") == true { parts.removeLast() }
        var kept: [String] = []
        for p in parts {
            if let last = kept.last, p.hasPrefix(last + ".") { kept.removeLast() }
            kept.append(p)
        }
        return kept.isEmpty ? n.opType.lowercased() : kept.joined(separator: ".")
    }

    /// Square, symmetric window attributes; `nil` when ONNX asks for something nasc cannot express.
    private func window(_ n: Onnx_NodeProto, kernel: [Int]?) throws -> (k: Int, s: Int, p: Int, d: Int) {
        guard let ks = kernel, ks.count == 2, ks[0] == ks[1] else { throw unsupported(n, "only square 2-D kernels") }
        let s = ints(n, "strides") ?? [1, 1], d = ints(n, "dilations") ?? [1, 1], p = ints(n, "pads") ?? [0, 0, 0, 0]
        if let auto = n.attribute.first(where: { $0.name == "auto_pad" }), !auto.s.isEmpty, String(decoding: auto.s, as: UTF8.self) != "NOTSET" {
            throw unsupported(n, "auto_pad is not supported (export with explicit pads)")
        }
        guard s.count == 2, s[0] == s[1], d.count == 2, d[0] == d[1], p.count == 4, Set(p).count == 1 else {
            throw unsupported(n, "strides, dilations and pads must be equal on every side (pads \(p))")
        }
        return (ks[0], s[0], p[0], d[0])
    }

    private mutating func emit(_ n: Onnx_NodeProto, _ v: String, _ rhs: String) {
        lines.append("\(v) = \(rhs)")
        variables[n.output[0]] = v
    }

    private mutating func weight(_ name: String, _ shape: [Int], _ values: [Float], state: Bool = false) {
        tensors.append(ONNXImport.Tensor(name: name, shape: shape, values: values, isState: state))
    }

    mutating func translate(_ index: Int, _ n: Onnx_NodeProto) throws {
        guard n.output.count >= 1 else { throw unsupported(n, "no outputs") }
        switch n.opType {
        case "Conv":
            let w = try constant(n, 1)
            guard w.shape.count == 4 else { throw unsupported(n, "only 2-D convolutions") }
            let (k, s, p, d) = try window(n, kernel: ints(n, "kernel_shape") ?? Array(w.shape[2...]))
            let groups = int(n, "group") ?? 1
            let v = name(for: n, weightInput: 1)
            let bias = n.input.count > 2 && !n.input[2].isEmpty
            let depthwise = groups > 1 && w.shape[1] == 1 && w.shape[0] == groups
            var args = depthwise ? ["kernel: \(k)"] : ["out: \(w.shape[0])", "kernel: \(k)"]
            if s != 1 { args.append("stride: \(s)") }
            if p != 0 { args.append("padding: \(p)") }
            if d != 1 { args.append("dilation: \(d)") }
            if groups != 1 && !depthwise { args.append("groups: \(groups)") }
            if !bias { args.append("bias: false") }
            emit(n, v, "\(try value(n, 0)) -> \(depthwise ? "depthwise_conv2d" : "conv2d")(\(args.joined(separator: ", ")))")
            weight("\(v).weight", w.shape, w.values)
            if bias { let b = try constant(n, 2); weight("\(v).bias", b.shape, b.values) }
        case "Gemm":
            guard (float(n, "alpha") ?? 1) == 1, (float(n, "beta") ?? 1) == 1, (int(n, "transA") ?? 0) == 0 else {
                throw unsupported(n, "only alpha = beta = 1 without transA")
            }
            var w = try constant(n, 1)
            guard w.shape.count == 2 else { throw unsupported(n, "the weight must be 2-D") }
            if (int(n, "transB") ?? 0) == 0 {  // [in, out] -> nasc's [out, in]
                let (rows, cols) = (w.shape[0], w.shape[1])
                var t = [Float](repeating: 0, count: rows * cols)
                for r in 0..<rows { for c in 0..<cols { t[c * rows + r] = w.values[r * cols + c] } }
                w = ([cols, rows], t)
            }
            let v = name(for: n, weightInput: 1)
            let bias = n.input.count > 2 && !n.input[2].isEmpty
            emit(n, v, "\(try value(n, 0)) -> linear(out: \(w.shape[0])\(bias ? "" : ", bias: false"))")
            weight("\(v).weight", w.shape, w.values)
            if bias {
                let b = try constant(n, 2)
                guard b.values.count == w.shape[0] else { throw unsupported(n, "the bias must have one value per output") }
                weight("\(v).bias", [w.shape[0]], b.values)
            }
        case "BatchNormalization":
            let (scale, shift, mean, variance) = (try constant(n, 1), try constant(n, 2), try constant(n, 3), try constant(n, 4))
            let v = name(for: n, weightInput: 1)
            emit(n, v, "\(try value(n, 0)) -> batch_norm(eps: \(float(n, "epsilon") ?? 1e-5))")
            weight("\(v).weight", scale.shape, scale.values); weight("\(v).bias", shift.shape, shift.values)
            weight("\(v).running_mean", mean.shape, mean.values, state: true)
            weight("\(v).running_var", variance.shape, variance.values, state: true)
        case "LayerNormalization":
            guard (int(n, "axis") ?? -1) == -1, n.input.count >= 3 else { throw unsupported(n, "only the last axis, with scale and bias") }
            let (scale, shift) = (try constant(n, 1), try constant(n, 2))
            let v = name(for: n, weightInput: 1)
            emit(n, v, "\(try value(n, 0)) -> layer_norm(eps: \(float(n, "epsilon") ?? 1e-5))")
            weight("\(v).weight", scale.shape, scale.values); weight("\(v).bias", shift.shape, shift.values)
        case "Relu", "Sigmoid", "Tanh", "HardSwish", "Identity", "Flatten", "Softmax", "LogSoftmax", "Dropout":
            let op: String
            switch n.opType {
            case "Relu": op = "relu"
            case "Sigmoid": op = "sigmoid"
            case "Tanh": op = "tanh"
            case "HardSwish": op = "hardswish"
            case "Identity": op = "identity"
            case "Dropout":
                let ratio = n.input.count > 1 && !n.input[1].isEmpty ? (constants[n.input[1]]?.values.first ?? 0.5) : (float(n, "ratio") ?? 0.5)
                op = "dropout(p: \(ratio))"
            case "Flatten":
                guard (int(n, "axis") ?? 1) == 1 else { throw unsupported(n, "only axis 1") }
                op = "flatten"
            default:
                let axis = int(n, "axis") ?? -1
                op = (n.opType == "Softmax" ? "softmax" : "log_softmax") + "(axis: \(axis))"
            }
            emit(n, name(for: n), "\(try value(n, 0)) -> \(op)")
        case "Clip":
            let lo = n.input.count > 1 && !n.input[1].isEmpty ? try constant(n, 1).values.first : nil
            let hi = n.input.count > 2 && !n.input[2].isEmpty ? try constant(n, 2).values.first : nil
            guard lo == 0, hi == 6 else { throw unsupported(n, "only Clip(0, 6) (relu6)") }
            emit(n, name(for: n), "\(try value(n, 0)) -> relu6")
        case "MaxPool", "AveragePool":
            guard (int(n, "ceil_mode") ?? 0) == 0 else { throw unsupported(n, "ceil_mode is not supported") }
            let (k, s, p, d) = try window(n, kernel: ints(n, "kernel_shape"))
            guard d == 1 else { throw unsupported(n, "dilated pooling is not supported") }
            var args = ["kernel: \(k)"]
            if s != k { args.append("stride: \(s)") }
            if p != 0 { args.append("padding: \(p)") }
            if n.opType == "AveragePool" && (int(n, "count_include_pad") ?? 0) == 0 { args.append("count_include_pad: false") }
            emit(n, name(for: n), "\(try value(n, 0)) -> \(n.opType == "MaxPool" ? "max_pool2d" : "avg_pool2d")(\(args.joined(separator: ", ")))")
        case "GlobalAveragePool":
            // nasc's global_avg_pool also flattens: only a GlobalAveragePool whose one reader is Flatten(axis 1) maps.
            guard let readers = consumers[n.output[0]], readers.count == 1, graph.node[readers[0]].opType == "Flatten",
                  (int(graph.node[readers[0]], "axis") ?? 1) == 1 else {
                throw unsupported(n, "only when followed by Flatten (nasc's global_avg_pool yields [N, C])")
            }
            let flatten = graph.node[readers[0]]
            emit(flatten, name(for: n), "\(try value(n, 0)) -> global_avg_pool")
            skipped.insert(readers[0])
        case "Add", "Sum", "Mul":
            let xs = try n.input.indices.map { try value(n, $0) }
            guard xs.count >= 2 else { throw unsupported(n, "needs two or more tensors") }
            emit(n, name(for: n), "\(n.opType == "Mul" ? "mul" : "add")(\(xs.joined(separator: ", ")))")
        case "Concat":
            let xs = try n.input.indices.map { try value(n, $0) }
            emit(n, name(for: n), "concat(\(xs.joined(separator: ", ")), axis: \(int(n, "axis") ?? 1))")
        default:
            throw unsupported(n)
        }
    }
}
