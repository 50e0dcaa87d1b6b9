// ExampleSupport: locating the repository's examples and test inputs, and compiling them in tests.
import Foundation
import NASCFrontend
import NASCIR

enum ExampleSupport {
    /// The repository root (this file is Tests/NASCFrontendTests/ExampleSupport.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static let examples = ["mnist", "nb201", "darts", "enas_macro", "mobilenet", "mlp", "digits", "textnas"]

    /// Compiles an example, rendering diagnostics into the thrown error's description on failure.
    static func compileExample(_ name: String) throws -> ModelSpace {
        let path = "examples/\(name).nas"
        let src = try read(path)
        do { return try Frontend.compile(source: src, file: path) } catch let e as DiagnosticError {
            throw RenderedError(text: Frontend.render(e, source: src))
        }
    }

    /// Compiles source text; returns the rendered diagnostics, or nil if it compiled.
    static func diagnostics(_ source: String, file: String = "t.nas") -> String? {
        do { _ = try Frontend.compile(source: source, file: file); return nil } catch let e as DiagnosticError {
            return Frontend.render(e, source: source)
        } catch { return "unexpected error: \(error)" }
    }

    /// Compiles source text that must be valid.
    static func compile(_ source: String, file: String = "t.nas") throws -> ModelSpace {
        do { return try Frontend.compile(source: source, file: file) } catch let e as DiagnosticError {
            throw RenderedError(text: Frontend.render(e, source: source))
        }
    }
}

struct RenderedError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
