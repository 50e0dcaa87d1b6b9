// TextDataCLITests: `--data text:` and `--data tokens:` through the `nasc` binary: one located line and exit 1 for
// bad text files, and token data refused by a space whose input is not token ids.
import Foundation
import Testing

@Suite struct TextDataCLITests {
    func write(_ dir: URL, _ name: String, _ text: String) throws -> String {
        let p = dir.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    @Test func aRaggedTextRowIsOneLocatedLine() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: [4]\nreturn x -> linear(out: 2)\n")
        let data = try write(dir, "d.tsv", "label\ttext\npos\tgood\nneg\tbad\textra\n")
        let r = try NascProcess.run(["train", space, "--data", "text:\(data)", "--epochs", "1"])
        #expect(r.code == 1)
        #expect(r.stderr == "\(data):3:9: error: row has 3 columns but the header (line 1) has 2\n", "\(r.stderr)")
    }

    @Test func anEmptyVocabularyIsOneLine() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: [4]\nreturn x -> linear(out: 2)\n")
        let data = try write(dir, "d.tsv", "label\ttext\npos\tgood\nneg\tbad\n")
        let r = try NascProcess.run(["train", space, "--data", "text:\(data)?min_count=5", "--epochs", "1"])
        #expect(r.code == 1)
        #expect(r.stderr == "\(data): error: empty vocabulary: none of the 2 distinct tokens occurs 5 times (lower min_count)\n", "\(r.stderr)")
    }

    @Test func tokenDataNeedsATokenInput() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: [3]\nreturn x -> linear(out: 2)\n")
        let data = try write(dir, "ids.txt", "0 4 5 6\n1 2 3\n")
        let r = try NascProcess.run(["run", space, dir.appendingPathComponent("exp").path, "--data", "tokens:\(data)",
                                     "--max-trials", "1", "--epochs", "1", "--validation", "0"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("\(space):1:7: error: data samples are token ids (i64) but the space input is f32[N,3]"), "\(r.stderr)")
    }
}
