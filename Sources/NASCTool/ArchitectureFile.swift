// ArchitectureFile: reads an architecture for a space from NNI JSON (v1, v3 or tuner form) or nasc protobuf.
import Foundation
import NASCIR

/// Loading an architecture file against a space.
public enum ArchitectureFile {
    /// Reads `path` as NNI JSON (format detected) or, for non-JSON bytes, a nasc protobuf architecture, and validates it.
    public static func load(_ path: String, for space: ModelSpace) throws -> Architecture {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(.error("no such file", at: SourceLocation(file: path)))
        }
        let searchSpace = try SearchSpace(space)
        // JSON of any shape goes to the JSON reader, which says what an architecture must look like ("[...]" is
        // an array, not an object); only other bytes are read as protobuf.
        if let text = String(data: data, encoding: .utf8), let first = text.drop(while: { $0.isWhitespace }).first,
           first == "{" || first == "[" || first == "\"" {
            return try ArchitectureJSON.read(text, space: searchSpace, file: path)
        }
        guard case .architecture(let arch) = try ProtoIO.decodeFile([UInt8](data), file: path) else {
            throw DiagnosticError(.error("expected an architecture", at: SourceLocation(file: path)))
        }
        try searchSpace.validate(arch)
        return arch
    }

    /// The architecture of a space without decisions (an empty one), or an error asking for `--arch`.
    public static func none(for space: ModelSpace, file: String) throws -> Architecture {
        let searchSpace = try SearchSpace(space)
        guard searchSpace.decisions.isEmpty else {
            throw DiagnosticError(.error("the space has \(searchSpace.decisions.count) decisions; give an architecture with --arch",
                                         at: SourceLocation(file: file)))
        }
        return Architecture()
    }
}
