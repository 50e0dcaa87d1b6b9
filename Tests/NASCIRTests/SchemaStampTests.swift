// Fails when IR/Schema/nasc.proto changed but IR/Generated was not regenerated (scripts/gen-proto.sh).
import Foundation
import Testing
@testable import NASCIR

@Suite struct SchemaStampTests {
    /// The repository root, found from this file's path (Tests/NASCIRTests/<file>).
    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two-block message (56 bytes forces a second padding block).
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func generatedCodeMatchesSchema() throws {
        let schema = Self.repoRoot.appendingPathComponent("IR/Schema/nasc.proto")
        let bytes = try [UInt8](Data(contentsOf: schema))
        #expect(SHA256.hex(bytes) == NascSchemaStamp.sha256,
                "IR/Schema/nasc.proto changed since IR/Generated was generated: run scripts/gen-proto.sh and commit")
    }
}
