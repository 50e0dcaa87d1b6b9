// Test support for the text IR tests: loads the .nir fixtures next to this file (no SwiftPM resources).
import Foundation
@testable import NASCIR

/// The text fixtures in `Tests/NASCIRTests/Inputs`.
enum TextIRFixtures {
    /// `Inputs/` beside this source file.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs")

    /// Fixture file names, sorted.
    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".nir") }.sorted()
    }

    /// The text of one fixture.
    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The fixture without its leading `//` comment lines (comments are not kept by the parser).
    static func canonicalText(_ name: String) throws -> String {
        var lines = try text(name).split(separator: "\n", omittingEmptySubsequences: false)
        while let f = lines.first, f.hasPrefix("//") { lines.removeFirst() }
        return lines.joined(separator: "\n")
    }
}
