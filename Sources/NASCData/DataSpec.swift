// DataSpec: names a data set ("digits", "idx:DIR", "cifar10:DIR", "csv:PATH?...", "synthetic:...") and loads it.
import NASCIR

/// A training set and, when the source has one, a separate test set.
public struct DataSplits: Sendable {
    /// The training samples.
    public var train: Dataset
    /// The held-out test samples, if the source provides them.
    public var test: Dataset?

    /// Creates splits.
    public init(train: Dataset, test: Dataset?) {
        self.train = train
        self.test = test
    }
}

/// Settings for a synthetic data set.
public struct SyntheticSpec: Sendable, Hashable {
    /// Gaussian class blobs or linear regression.
    public enum Kind: String, Sendable, Hashable { case blobs, regression }
    /// Which generator.
    public var kind: Kind
    /// Training samples.
    public var count: Int
    /// Test samples (generated with a different seed stream).
    public var testCount: Int
    /// Sample shape (regression uses its element count as the feature count).
    public var sampleShape: [Int]
    /// Classes for blobs.
    public var numClasses: Int
    /// The seed.
    public var seed: UInt64

    /// Creates a synthetic spec.
    public init(kind: Kind = .blobs, count: Int = 512, testCount: Int = 128, sampleShape: [Int] = [1, 8, 8],
                numClasses: Int = 10, seed: UInt64 = 0) {
        self.kind = kind
        self.count = count
        self.testCount = testCount
        self.sampleShape = sampleShape
        self.numClasses = numClasses
        self.seed = seed
    }
}

/// A data set named on the command line or in a configuration.
///
/// Text forms accepted by ``parse(_:at:)``:
/// - `digits`: the bundled UCI digits in IDX form, `examples/data/digits` under the repository root, or the copy
///   compiled into the binary (``EmbeddedDigits``) when nasc runs outside the repository
///   (`digits:DIR` reads the same layout from DIR);
/// - `idx:DIR` (also `mnist:DIR`, `fashion-mnist:DIR`): `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
///   `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte` in DIR (the test pair is optional);
/// - `cifar10:DIR`: CIFAR-10 binary batches in DIR;
/// - `csv:PATH[?target=NAME|INDEX&task=classification|regression&header=auto|present|absent&classes=K]`;
/// - `synthetic[:blobs|regression][?count=N&test=M&shape=1x8x8&classes=K&seed=S]`;
/// - `text:PATH[?text=COL&label=COL&test=PATH&length=T&min_count=C&max_vocab=V&vocab=FILE&sep=tab|comma]`: raw text
///   and labels in a CSV or TSV file, tokenized into `[T]` token ids (``TextLoader``);
/// - `tokens:PATH[?test=PATH&vocab=N&length=T]`: pre-tokenized ids (``TokenLoader``).
public enum DataSpec: Sendable, Hashable {
    /// The bundled digits set.
    case digits
    /// An IDX directory (MNIST layout).
    case idx(directory: String)
    /// A CIFAR-10 binary directory.
    case cifar10(directory: String)
    /// A CSV file.
    case csv(path: String, options: CSVOptions)
    /// A generated data set.
    case synthetic(SyntheticSpec)
    /// Raw text and labels in a CSV or TSV file.
    case text(path: String, options: TextOptions)
    /// Pre-tokenized ids.
    case tokens(path: String, options: TokenOptions)

    /// Where the digits set lives relative to the repository root.
    public static let digitsRelativePath = "examples/data/digits"

    /// The digits directory under `repositoryRoot`.
    public static func digitsDirectory(repositoryRoot: String) -> String {
        DataFile.join(repositoryRoot, digitsRelativePath)
    }

    /// The nearest directory at or above `directory` that contains `examples/data/digits`, if any.
    public static func findRepositoryRoot(from directory: String) -> String? {
        var dir = directory
        while true {
            if DataFile.isDirectory(digitsDirectory(repositoryRoot: dir)) { return dir }
            guard let slash = dir.lastIndex(of: "/"), dir != "/" else { return nil }
            let parent = String(dir[..<slash])
            dir = parent.isEmpty ? "/" : parent
        }
    }

    /// Parses a data set name.
    ///
    /// - Throws: ``DiagnosticError`` at `location` for an unknown kind, a missing path or a bad option.
    public static func parse(_ text: String, at location: SourceLocation = .unknown) throws -> DataSpec {
        let (head, query) = splitQuery(text)
        let kind: String, arg: String
        if let colon = head.firstIndex(of: ":") {
            kind = String(head[..<colon])
            arg = String(head[head.index(after: colon)...])
        } else {
            kind = head
            arg = ""
        }
        let opts = try options(query, spec: text, at: location)
        func need(_ what: String) throws -> String {
            guard !arg.isEmpty else {
                throw DiagnosticError(.error("data set \"\(kind)\" needs a \(what): \(kind):\(what.uppercased())", at: location))
            }
            return arg
        }
        func noOptions() throws {
            if let k = opts.keys.sorted().first {
                throw DiagnosticError(.error("unknown option \"\(k)\" for data set \"\(kind)\"", at: location))
            }
        }
        switch kind {
        case "digits":
            try noOptions()
            guard arg.isEmpty else { return .idx(directory: arg) }
            return .digits
        case "idx", "mnist", "fashion-mnist":
            try noOptions()
            return .idx(directory: try need("directory"))
        case "cifar10", "cifar-10":
            try noOptions()
            return .cifar10(directory: try need("directory"))
        case "csv":
            let path = try need("path")
            var o = CSVOptions()
            for (k, v) in opts.sorted(by: { $0.key < $1.key }) {
                switch k {
                case "target": o.target = Int(v).map { .column($0) } ?? .named(v)
                case "task":
                    guard let t = CSVOptions.Task(rawValue: v) else {
                        throw DiagnosticError(.error("task must be classification or regression, got \"\(v)\"", at: location))
                    }
                    o.task = t
                case "header":
                    guard let h = CSVOptions.Header(rawValue: v) else {
                        throw DiagnosticError(.error("header must be auto, present or absent, got \"\(v)\"", at: location))
                    }
                    o.header = h
                case "classes": o.numClasses = try positive(v, k, location)
                default: throw DiagnosticError(.error("unknown option \"\(k)\" for data set \"csv\"", at: location))
                }
            }
            return .csv(path: path, options: o)
        case "synthetic":
            var s = SyntheticSpec()
            if !arg.isEmpty {
                guard let k = SyntheticSpec.Kind(rawValue: arg) else {
                    throw DiagnosticError(.error("synthetic data must be blobs or regression, got \"\(arg)\"", at: location))
                }
                s.kind = k
                if k == .regression { s.sampleShape = [8] }
            }
            for (k, v) in opts.sorted(by: { $0.key < $1.key }) {
                switch k {
                case "count": s.count = try positive(v, k, location)
                case "test": s.testCount = try positive(v, k, location)
                case "classes": s.numClasses = try positive(v, k, location)
                case "seed":
                    guard let seed = UInt64(v) else {
                        throw DiagnosticError(.error("seed must be a non-negative integer, got \"\(v)\"", at: location))
                    }
                    s.seed = seed
                case "shape":
                    let dims = v.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
                    guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
                        throw DiagnosticError(.error("shape must look like 1x8x8, got \"\(v)\"", at: location))
                    }
                    s.sampleShape = dims.map { $0! }
                default: throw DiagnosticError(.error("unknown option \"\(k)\" for data set \"synthetic\"", at: location))
                }
            }
            return .synthetic(s)
        case "text":
            return .text(path: try need("path"), options: try textOptions(opts, at: location))
        case "tokens":
            return .tokens(path: try need("path"), options: try tokenOptions(opts, at: location))
        default:
            throw DiagnosticError(Diagnostic.error("unknown data set \"\(text)\"", at: location,
                hint: "use digits, idx:DIR, cifar10:DIR, csv:PATH, text:PATH, tokens:PATH or synthetic"))
        }
    }

    /// Loads the data set. `repositoryRoot` is the directory that contains `examples/` (only used by `digits`).
    ///
    /// - Throws: ``DiagnosticError`` naming the offending file for any missing or malformed data.
    public func load(repositoryRoot: String = ".") throws -> DataSplits {
        switch self {
        case .digits:
            // The repository's copy when there is one, else the copy compiled into the binary (an installed or
            // copied nasc has no repository); both are the same bytes (NASCDataTests checks it).
            let directory = DataSpec.digitsDirectory(repositoryRoot: repositoryRoot)
            if DataFile.isDirectory(directory) { return try DataSpec.loadIDX(directory: directory, requireTest: true) }
            return try DataSpec.loadEmbeddedDigits()
        case .idx(let dir):
            return try DataSpec.loadIDX(directory: dir, requireTest: false)
        case .cifar10(let dir):
            let train = try CIFAR10Loader.load(directory: dir, train: true)
            let testPath = DataFile.join(dir, CIFAR10Loader.testFile)
            let test = DataFile.exists(testPath) ? try CIFAR10Loader.load(files: [testPath]) : nil
            return DataSplits(train: train, test: test)
        case .csv(let path, let options):
            return DataSplits(train: try CSVLoader.load(path: path, options: options), test: nil)
        case .text(let path, let options):
            return try TextLoader.load(path: path, options: options).splits
        case .tokens(let path, let options):
            return try TokenLoader.load(path: path, options: options)
        case .synthetic(let s):
            switch s.kind {
            case .blobs:
                // One stream of samples around the same centres: the head trains, the tail tests.
                let all = try SyntheticData.blobs(count: s.count + s.testCount, sampleShape: s.sampleShape,
                                                  numClasses: s.numClasses, seed: s.seed)
                return DataSplits(train: all.subset(Array(0..<s.count)),
                                  test: all.subset(Array(s.count..<(s.count + s.testCount))))
            case .regression:
                guard let f = Dataset.checkedElementCount(s.sampleShape) else {
                    throw DiagnosticError(.error("sample shape \(Dataset.format(s.sampleShape)) is too large"))
                }
                let all = try SyntheticData.regression(count: s.count + s.testCount, features: f, seed: s.seed)
                return DataSplits(train: all.subset(Array(0..<s.count)),
                                  test: all.subset(Array(s.count..<(s.count + s.testCount))))
            }
        }
    }

    /// The digits set compiled into the binary (``EmbeddedDigits``).
    static func loadEmbeddedDigits() throws -> DataSplits {
        func split(_ images: String, _ labels: String) throws -> Dataset {
            guard let i = EmbeddedDigits.bytes(images), let l = EmbeddedDigits.bytes(labels) else {
                throw DiagnosticError(.error("the digits set compiled into nasc is damaged", at: SourceLocation(file: "digits")))
            }
            return try IDXLoader.load(images: i, labels: l, imagesSource: "digits/\(images)", labelsSource: "digits/\(labels)")
        }
        return DataSplits(train: try split("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                          test: try split("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
    }

    private static func loadIDX(directory: String, requireTest: Bool) throws -> DataSplits {
        guard DataFile.isDirectory(directory) else {
            throw DiagnosticError(.error("no such directory", at: SourceLocation(file: directory)))
        }
        let train = try IDXLoader.load(images: DataFile.join(directory, "train-images-idx3-ubyte"),
                                       labels: DataFile.join(directory, "train-labels-idx1-ubyte"))
        let testImages = DataFile.join(directory, "t10k-images-idx3-ubyte")
        let testLabels = DataFile.join(directory, "t10k-labels-idx1-ubyte")
        var test: Dataset? = nil
        if requireTest || DataFile.exists(testImages) || DataFile.exists(testLabels) {
            test = try IDXLoader.load(images: testImages, labels: testLabels)
        }
        return DataSplits(train: train, test: test)
    }

    private static func splitQuery(_ text: String) -> (String, String) {
        guard let q = text.firstIndex(of: "?") else { return (text, "") }
        return (String(text[..<q]), String(text[text.index(after: q)...]))
    }

    private static func options(_ query: String, spec: String, at location: SourceLocation) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw DiagnosticError(.error("option \"\(pair)\" in data set \"\(spec)\" must be key=value", at: location))
            }
            result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return result
    }

    /// The options of a `text:` spec.
    private static func textOptions(_ opts: [String: String], at location: SourceLocation) throws -> TextOptions {
        var o = TextOptions()
        func column(_ v: String) -> TextOptions.Column { Int(v).map { .index($0) } ?? .named(v) }
        for (k, v) in opts.sorted(by: { $0.key < $1.key }) {
            switch k {
            case "text": o.text = column(v)
            case "label": o.label = column(v)
            case "test": o.testPath = try nonEmpty(v, k, location)
            case "vocab": o.vocabularyPath = try nonEmpty(v, k, location)
            case "length": o.length = try positive(v, k, location)
            case "min_count": o.minCount = try positive(v, k, location)
            case "max_vocab": o.maxVocabulary = try positive(v, k, location)
            case "sep":
                switch v {
                case "tab", "\t": o.delimiter = "\t"
                case "comma", ",": o.delimiter = ","
                default: throw DiagnosticError(.error("sep must be tab or comma, got \"\(v)\"", at: location))
                }
            default: throw DiagnosticError(.error("unknown option \"\(k)\" for data set \"text\" (text, label, test, length, min_count, max_vocab, vocab, sep)", at: location))
            }
        }
        return o
    }

    /// The options of a `tokens:` spec.
    private static func tokenOptions(_ opts: [String: String], at location: SourceLocation) throws -> TokenOptions {
        var o = TokenOptions()
        for (k, v) in opts.sorted(by: { $0.key < $1.key }) {
            switch k {
            case "test": o.testPath = try nonEmpty(v, k, location)
            case "vocab": o.vocabularySize = try positive(v, k, location)
            case "length": o.length = try positive(v, k, location)
            default: throw DiagnosticError(.error("unknown option \"\(k)\" for data set \"tokens\" (test, vocab, length)", at: location))
            }
        }
        return o
    }

    private static func nonEmpty(_ v: String, _ key: String, _ location: SourceLocation) throws -> String {
        guard !v.isEmpty else { throw DiagnosticError(.error("\(key) needs a path", at: location)) }
        return v
    }

    private static func positive(_ v: String, _ key: String, _ location: SourceLocation) throws -> Int {
        guard let n = Int(v), n > 0, n <= Dataset.maxElements else {
            throw DiagnosticError(.error("\(key) must be a positive integer up to \(Dataset.maxElements), got \"\(v)\"", at: location))
        }
        return n
    }
}
