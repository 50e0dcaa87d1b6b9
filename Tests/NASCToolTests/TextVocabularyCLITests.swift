// TextVocabularyCLITests: `nasc train --save` keeps a text model's vocabulary next to its weights, and `nasc eval`,
// `nasc predict` and `nasc export` read raw text with it; a missing vocabulary and a ragged row are one located line.
import Foundation
import Testing

@Suite struct TextVocabularyCLITests {
    static let space = "examples/fortunes.nas"
    static let testFile = "examples/data/fortunes/test.tsv"

    /// Trains fortunes.nas for 2 epochs with `--save DIR/w.pb`; returns the weights, the architecture and the test accuracy.
    func trainAndSave(_ dir: URL) throws -> (weights: String, arch: String, testAccuracy: Double) {
        let arch = dir.appendingPathComponent("a.json").path
        try #"{"dim": 32, "pool": "mean"}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let weights = dir.appendingPathComponent("w.pb").path
        let r = try NascProcess.run(["train", Self.space, "--arch", arch, "--data", SequenceCLITests.fortunes, "--epochs", "2",
                                     "--optimizer", "adam", "--lr", "0.03", "--batch-size", "32", "--validation", "0",
                                     "--save", weights, "--json"])
        #expect(r.code == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (weights, arch, obj?["test_accuracy"] as? Double ?? -1)
    }

    @Test func evalPredictAndExportReadRawTextWithTheSavedVocabulary() throws {
        let dir = try NascProcess.tempDir()
        let (weights, arch, testAccuracy) = try trainAndSave(dir)
        // The vocabulary the run encoded with sits next to the weights: the training file's words, min count 2.
        let vocab = try String(contentsOfFile: dir.appendingPathComponent("w.vocab.txt").path, encoding: .utf8).split(separator: "\n")
        #expect(vocab.prefix(2) == ["<pad>", "<unk>"] && vocab.count > 1000 && vocab.count <= 5000, "\(vocab.count)")

        // The test file read on its own (no vocab= given) is encoded with the saved vocabulary: the same accuracy
        // as the training run's test split. A vocabulary built from the test file would number its words differently.
        let data = "text:\(Self.testFile)?length=48"
        let e = try NascProcess.run(["eval", Self.space, "--arch", arch, "--weights", weights, "--data", data, "--split", "train", "--json"])
        #expect(e.code == 0, "\(e.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any]
        #expect(obj?["samples"] as? Int == 601, "\(e.stdout)")
        let accuracy = obj?["accuracy"] as? Double ?? -2
        #expect(abs(accuracy - testAccuracy) < 1e-9, "eval \(accuracy), train's test split \(testAccuracy)")

        let p = try NascProcess.run(["predict", Self.space, "--arch", arch, "--weights", weights, "--data", data, "--split", "train"])
        #expect(p.code == 0, "\(p.stderr)")
        let rows = p.stdout.split(separator: "\n")
        #expect(rows.first == "output_0,output_1,output_2,output_3", "\(rows.prefix(3))")
        #expect(rows.count == 602 && rows.allSatisfy { $0.split(separator: ",").count == 4 }, "\(rows.prefix(3))")

        // The export carries the vocabulary: model.onnx gets model.vocab.txt, a PyTorch directory vocab.txt.
        let onnx = dir.appendingPathComponent("model.onnx").path
        let x = try NascProcess.run(["export", Self.space, "--arch", arch, "--weights", weights, "-o", onnx])
        #expect(x.code == 0, "\(x.stderr)")
        let copied = dir.appendingPathComponent("model.vocab.txt").path
        #expect(x.stdout.contains(copied), "\(x.stdout)")
        #expect(try String(contentsOfFile: copied, encoding: .utf8).split(separator: "\n") == vocab)
        let torch = dir.appendingPathComponent("torch").path
        let t = try NascProcess.run(["export", Self.space, "--arch", arch, "--weights", weights, "--format", "pytorch", "-o", torch])
        #expect(t.code == 0, "\(t.stderr)")
        #expect(try String(contentsOfFile: torch + "/vocab.txt", encoding: .utf8).split(separator: "\n") == vocab)
    }

    @Test func textWithoutTheSavedVocabularyIsOneLineAtTheDataFlag() throws {
        let dir = try NascProcess.tempDir()
        let (weights, arch, _) = try trainAndSave(dir)
        try FileManager.default.removeItem(atPath: dir.appendingPathComponent("w.vocab.txt").path)
        let data = "text:\(Self.testFile)?length=48"
        let r = try NascProcess.run(["predict", Self.space, "--arch", arch, "--weights", weights, "--data", data, "--split", "train"])
        #expect(r.code == 1)
        let vocab = dir.appendingPathComponent("w.vocab.txt").path
        #expect(r.stderr == "--data: error: text data needs the vocabulary the weights were trained with, but \(vocab) "
                + "(written by nasc train --save) does not exist; name one with vocab=FILE\n", "\(r.stderr)")
        // A vocab= file that does not exist is one line at that file.
        let missing = dir.appendingPathComponent("none.txt").path
        let m = try NascProcess.run(["predict", Self.space, "--arch", arch, "--weights", weights, "--data", data + "&vocab=" + missing,
                                     "--split", "train"])
        #expect(m.code == 1)
        #expect(m.stderr.hasPrefix("\(missing): error: ") && m.stderr.split(separator: "\n").count == 1, "\(m.stderr)")
    }

    @Test func aRaggedRowInTextToPredictIsOneLocatedLine() throws {
        let dir = try NascProcess.tempDir()
        let (weights, arch, _) = try trainAndSave(dir)
        let file = dir.appendingPathComponent("new.tsv").path
        try "label\ttext\nwork\tMeetings all day\nscience\tgravity\textra cell\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["predict", Self.space, "--arch", arch, "--weights", weights, "--data", "text:\(file)?length=48",
                                     "--split", "train"])
        #expect(r.code == 1)
        #expect(r.stderr == "\(file):3:17: error: row has 3 columns but the header (line 1) has 2\n", "\(r.stderr)")
    }
}
