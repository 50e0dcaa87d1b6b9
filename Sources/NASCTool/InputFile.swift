// InputFile: reads a file named on the command line into IR, choosing the reader by extension.
import Foundation
import NASCIR
import NASCFrontend

/// What a nasc input file holds.
public enum LoadedFile: Sendable {
    /// A model space (from `.nas`, text IR or protobuf).
    case space(ModelSpace)
    /// An architecture (from protobuf).
    case architecture(Architecture)
    /// An executable plan (from protobuf).
    case plan(Plan)
    /// A training checkpoint (from protobuf).
    case checkpoint(Checkpoint)
}

/// The format of an input file, decided by its extension.
public enum InputFormat: String, Sendable {
    /// The `.nas` space language.
    case nas
    /// Text IR (`.nir`).
    case textIR
    /// Protobuf (`.pb` and anything else).
    case protobuf

    /// The format for a path: `.nas`, `.nir`, otherwise protobuf.
    public init(path: String) {
        if path.hasSuffix(".nas") { self = .nas } else if path.hasSuffix(".nir") { self = .textIR } else { self = .protobuf }
    }
}

/// A file read from disk, with its source text kept for diagnostics.
public struct InputFile: Sendable {
    /// The path as given.
    public let path: String
    public let format: InputFormat
    /// The file's text, for `.nas` and `.nir` (used to show the source line under an error).
    public let source: String?

    /// Reads `path`; a missing or unreadable file is a located error.
    public init(path: String) throws {
        self.path = path
        self.format = InputFormat(path: path)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DiagnosticError(.error("no such file", at: SourceLocation(file: path)))
        }
        if format == .protobuf {
            source = nil
        } else {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw DiagnosticError(.error("cannot read file as UTF-8 text", at: SourceLocation(file: path)))
            }
            source = text
        }
    }

    /// Parses the file into IR. Throws DiagnosticError with every problem found.
    public func load() throws -> LoadedFile {
        switch format {
        case .nas:
            return .space(try Frontend.compile(source: source ?? "", file: path))
        case .textIR:
            return .space(try TextIR.parse(source ?? "", file: path))
        case .protobuf:
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DiagnosticError(.error("cannot read file", at: SourceLocation(file: path)))
            }
            switch try ProtoIO.decodeFile([UInt8](data), file: path) {
            case .space(let s): return .space(s)
            case .architecture(let a): return .architecture(a)
            case .plan(let p): return .plan(p)
            case .checkpoint(let c): return .checkpoint(c)
            }
        }
    }

    /// Loads a file that must hold a model space, and verifies it.
    public func loadSpace() throws -> ModelSpace {
        let loaded = try load()
        guard case .space(let space) = loaded else {
            throw DiagnosticError(.error("expected a model space, found \(loaded.what)", at: SourceLocation(file: path)))
        }
        try Verifier.verifyOrThrow(space)
        return space
    }

    /// Renders an error for the terminal: with the source line and a caret for `.nas` files.
    public func render(_ error: DiagnosticError) -> String {
        if format == .nas, let source, error.diagnostics.contains(where: { $0.location.file == path }) {
            return Frontend.render(error, source: source)
        }
        return error.description
    }
}

extension LoadedFile {
    /// "a model space", "an architecture", "a plan" or "a checkpoint", for messages.
    public var what: String {
        switch self {
        case .space: return "a model space"
        case .architecture: return "an architecture"
        case .plan: return "a plan"
        case .checkpoint: return "a checkpoint"
        }
    }
}
