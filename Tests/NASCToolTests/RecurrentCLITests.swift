// RecurrentCLITests: lstm and gru through the `nasc` binary — both recurrent classifiers of examples/fortunes_lstm.nas
// train on the bundled fortunes set, and a recurrent layer fed token ids, a non-sequence or no hidden units is one
// located line with exit 1.
import Foundation
import Testing

@Suite struct RecurrentCLITests {
    @Test(arguments: ["lstm", "gru"]) func aRecurrentClassifierTrainsOnFortunes(_ cell: String) throws {
        let dir = try NascProcess.tempDir()
        let arch = dir.appendingPathComponent("a.json").path
        try #"{"cell": "\#(cell)", "hidden": 32}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["train", "examples/fortunes_lstm.nas", "--arch", arch, "--data", SequenceCLITests.fortunes,
                                     "--epochs", "6", "--optimizer", "adam", "--lr", "0.01", "--batch-size", "32",
                                     "--validation", "0", "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let test = obj?["test_accuracy"] as? Double ?? 0
        // The largest class is 35% of the test split (seen at 6 epochs: lstm 0.61, gru 0.65).
        #expect(test > 0.5, "\(r.stdout)")
    }

    @Test(arguments: [
        ("x -> lstm(hidden: 8)", "3:10: error: lstm needs a sequence f32[N,T,D] with fixed T and D, but gets i64[N,8]"),
        ("h -> global_avg_pool1d -> gru(8)", "3:31: error: gru needs a sequence f32[N,T,D] with fixed T and D, but gets f32[N,6]"),
        ("h -> gru(hidden: 0)", "3:10: error: hidden of gru must be at least 1, but is 0"),
        ("h -> lstm(hidden: choice(\"k\", [4, 0]))", "3:10: error: hidden of lstm must be at least 1, but is 0 when k = 0"),
    ])
    func aBadRecurrentLayerIsOneLocatedLine(_ layer: String, _ message: String) throws {
        let dir = try NascProcess.tempDir()
        let space = dir.appendingPathComponent("t.nas").path
        try "input x: i64[8]\nh = x -> embedding(vocab: 10, dim: 6)\nc = \(layer)\nreturn c -> global_avg_pool1d -> linear(out: 2)\n"
            .write(toFile: space, atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["compile", space, "-o", dir.appendingPathComponent("s.pb").path])
        #expect(r.code == 1)
        let first = r.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first == "\(space):\(message)", "\(r.stderr)")
    }
}
