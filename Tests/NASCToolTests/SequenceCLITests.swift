// SequenceCLITests: text models through the `nasc` binary — an embedding + masked pooling classifier trains on the
// bundled fortunes set, a search runs on it with the vocabulary pinned in the experiment, and an embedding table
// smaller than the data's ids is one line at the data file and line of the largest id.
import Foundation
import Testing

@Suite struct SequenceCLITests {
    static let fortunes = "text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000"

    func write(_ dir: URL, _ name: String, _ text: String) throws -> String {
        let p = dir.appendingPathComponent(name).path
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    @Test(arguments: ["max", "mean"]) func aTextClassifierTrainsOnFortunes(_ pool: String) throws {
        let dir = try NascProcess.tempDir()
        let arch = try write(dir, "a.json", #"{"dim": 32, "pool": "\#(pool)"}"#)
        let r = try NascProcess.run(["train", "examples/fortunes.nas", "--arch", arch, "--data", Self.fortunes, "--epochs", "8",
                                     "--optimizer", "adam", "--lr", "0.03", "--batch-size", "32", "--validation", "0", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let test = obj?["test_accuracy"] as? Double ?? 0
        // The largest class is 35% of the test split; the words tell the topics apart (seen: mean 0.64, max 0.57).
        #expect(test > 0.5, "\(r.stdout)")
    }

    @Test func aSearchPinsTheVocabulary() throws {
        let dir = try NascProcess.tempDir()
        let exp = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "examples/fortunes.nas", exp, "--data", Self.fortunes, "--strategy", "random",
                                     "--max-trials", "2", "--epochs", "1", "--validation", "0.2"])
        #expect(r.code == 0, "\(r.stderr)")
        let vocab = try String(contentsOfFile: exp + "/vocab.txt", encoding: .utf8).split(separator: "\n")
        #expect(vocab.prefix(2) == ["<pad>", "<unk>"] && vocab.count > 1000 && vocab.count <= 5000)
        let list = try NascProcess.run(["experiment", "list", exp, "--json"])
        #expect(list.code == 0 && list.stdout.contains("\"succeeded\""), "\(list.stdout)\(list.stderr)")
    }

    @Test func anEmbeddingSmallerThanTheDataIsOneLineAtTheData() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: i64[4]\nh = x -> embedding(vocab: 4, dim: 3)\nreturn (h, x) -> global_avg_pool1d -> linear(out: 2)\n")
        let data = try write(dir, "ids.txt", "0 1 2 3\n1 3 9 2\n0 2 2\n")
        let r = try NascProcess.run(["train", space, "--data", "tokens:\(data)?length=4", "--epochs", "1", "--validation", "0"])
        #expect(r.code == 1)
        #expect(r.stderr == "\(data):2:5: error: token id 9 is not below the vocabulary size 4 of embedding 'h' (\(space):2:10); the data has 10 ids\n",
                "\(r.stderr)")
    }

    @Test func anEmbeddingFedFloatsIsOneLocatedLine() throws {
        let dir = try NascProcess.tempDir()
        let space = try write(dir, "t.nas", "input x: [4]\nreturn x -> embedding(vocab: 4, dim: 3) -> global_avg_pool1d -> linear(out: 2)\n")
        let r = try NascProcess.run(["compile", space, "-o", dir.appendingPathComponent("s.pb").path])
        #expect(r.code == 1)
        #expect(r.stderr.hasPrefix("\(space):2:13: error: embedding needs token ids (i64[N,T]), but gets f32[N,4]"), "\(r.stderr)")
    }
}
