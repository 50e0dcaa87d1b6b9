// FuzzTargets: the entry functions of the libFuzzer targets (`make fuzz`), also replayed over the corpora by `make test`.
import Foundation
import NASCData
import NASCFrontend
import NASCIR
import NASCPasses

/// One function per fuzz target. Each takes arbitrary bytes and must return normally: a bad input is a thrown
/// error (a located diagnostic), never a trap, a hang or unbounded memory. The libFuzzer driver
/// (`Tests/Fuzz`, built by `make fuzz`) calls them; `FuzzRegressionTests` replays the seed and crash corpora.
public enum FuzzTargets {
    /// The target names, as used by `NASC_FUZZ_TARGET` and the corpus folders.
    public static let names = ["nas", "textir", "proto", "arch", "idx", "csv"]

    /// Runs target `name` on `bytes`; `false` for an unknown name.
    @discardableResult
    public static func run(_ name: String, _ bytes: [UInt8]) -> Bool {
        switch name {
        case "nas": nas(bytes)
        case "textir": textIR(bytes)
        case "proto": proto(bytes)
        case "arch": architecture(bytes)
        case "idx": idx(bytes)
        case "csv": csv(bytes)
        default: return false
        }
        return true
    }

    /// The `.nas` front end: parse, elaborate, check (shapes of every candidate, small spaces subnet by subnet).
    public static func nas(_ bytes: [UInt8]) {
        _ = try? Frontend.compile(source: String(decoding: bytes, as: UTF8.self), file: "fuzz.nas")
    }

    /// The text-IR parser, then the verifier on what parsed.
    public static func textIR(_ bytes: [UInt8]) {
        guard let space = try? TextIR.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.nir") else { return }
        _ = Verifier.verify(space)
    }

    /// Protobuf decoding of a `NascFile` (space, architecture, plan, checkpoint), then the checks a command runs
    /// before using it: the verifier for a space, `Plan.validate` and the listing (`nasc dump`) for a plan.
    public static func proto(_ bytes: [UInt8]) {
        guard let payload = try? ProtoIO.decodeFile(bytes, file: "fuzz.pb") else { return }
        switch payload {
        case .space(let space):
            guard Verifier.verify(space).isEmpty else { return }
            _ = try? SearchSpace(space)
        case .plan(let plan):
            guard (try? plan.validate()) != nil else { return }
            _ = plan.listing
        case .architecture, .checkpoint:
            return
        }
    }

    /// Architecture JSON (NNI v1, v3 and tuner forms) read against a space with every kind of decision.
    public static func architecture(_ bytes: [UInt8]) {
        guard let space = archSpace else { return }
        _ = try? ArchitectureJSON.read(String(decoding: bytes, as: UTF8.self), space: space, file: "fuzz.json")
    }

    /// IDX image and label files (the input read as both).
    public static func idx(_ bytes: [UInt8]) {
        _ = try? IDXLoader.readImages(bytes: bytes, source: "fuzz-images-idx3-ubyte")
        _ = try? IDXLoader.readLabels(bytes: bytes, source: "fuzz-labels-idx1-ubyte", numClasses: 10)
    }

    /// CSV data; the first byte picks the header mode, target, task and delimiter.
    public static func csv(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        var options = CSVOptions()
        options.header = [.auto, .present, .absent][Int(first % 3)]
        options.target = [.last, .column(0), .named("label")][Int((first / 3) % 3)]
        options.task = (first / 9) % 2 == 0 ? .classification : .regression
        options.delimiter = (first / 18) % 2 == 0 ? "," : ";"
        _ = try? CSVLoader.parse(String(decoding: bytes.dropFirst(), as: UTF8.self), file: "fuzz.csv", options: options)
    }

    /// The space architectures are read against: layer, input and value choices, a repeat and a cell
    /// (``archSpaceSource``).
    public static let archSpace: SearchSpace? = {
        guard let space = try? Frontend.compile(source: archSpaceSource, file: "arch-space.nas") else { return nil }
        return try? SearchSpace(space)
    }()

    /// A small space with every kind of decision.
    public static let archSpaceSource = """
    space fuzz_arch
    input x: [1, 8, 8]
    w = choice("width", [8, 16, 24])
    c1 = x -> layer_choice("conv1") {
        conv3x3: conv2d(out: w, kernel: 3, padding: 1)
        conv5x5: conv2d(out: w, kernel: 5, padding: 2)
    } -> relu
    c2 = c1 -> conv2d(out: w, kernel: 3, padding: same) -> relu
    c3 = c1 -> conv2d(out: w, kernel: 1) -> relu
    h = input_choice(c1, c2, c3, label: "skip", n_chosen: 2, reduction: sum)
    h = h -> repeat("depth", depth: [0, 1, 2]) { conv2d(out: w, kernel: 3, padding: 1) -> relu }
    out = (h, c1) -> cell(label: "cell", nodes: 2, ops_per_node: 2, stride: 1) { s =>
        skip: identity
        conv: conv2d(out: w, kernel: 3, padding: 1)
    }
    return out -> max_pool2d(kernel: 2) -> flatten -> linear(out: choice("hidden", [16, 32])) -> linear(out: 10)
    """
}
