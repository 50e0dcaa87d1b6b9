// OneShotCLITests: `nasc run --strategy darts|gumbel|spos|proxyless` on a tiny space and synthetic data writes the
// per-epoch log and a retrainable export; bad strategy names, options and missing data are clean errors.
import Foundation
import Testing

@Suite(.serialized) struct OneShotCLITests {
    static let space = """
    space "tiny8" version 1 root @main

    graph @main(%x: f32[N,1,8,8]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %c = layer_choice(%s) {label = "op", candidates = [conv3 = @conv3, skip = @skip]}
      %r = relu(%c)
      %k = input_choice(%r, %s) {label = "in", n_chosen = 1, reduction = sum}
      %f = flatten(%k)
      %o = linear(%f) {out = 10}
      return %o
    }

    graph @conv3(%x: f32[N,2,8,8]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      return %y
    }

    graph @skip(%x: f32[N,2,8,8]) {
      return %x
    }
    """

    func setup() throws -> (URL, String) {
        let dir = try NascProcess.tempDir()
        let path = dir.appendingPathComponent("tiny8.nir").path
        try Self.space.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    static let data = ["--data", "synthetic?count=64&test=16", "--train-epochs", "2", "--batch-size", "16"]

    @Test(arguments: [
        ("darts", ["max_batches=2", "unrolled=true"]), ("gumbel", ["max_batches=2"]),
        ("spos", ["max_batches=2", "population=3", "generations=1"]), ("proxyless", ["max_batches=2", "flops_penalty=0.1"]),
    ])
    func oneShotRunWritesLogAndExport(strategy: String, options: [String]) throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", strategy, space, "-o", out] + Self.data + options.flatMap { ["--strategy-option", $0] })
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("epoch 1: train loss"))
        #expect(r.stdout.contains("  op: "), "probabilities are printed")
        // One line per epoch (SPOS adds one per evolution generation, with "stage": "evolution").
        let log = try String(contentsOfFile: out + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n").filter { !$0.contains("\"stage\":\"evolution\"") }
        #expect(log.count == 2)
        #expect(FileManager.default.fileExists(atPath: out + "/settings.json"))
        for line in log {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let probs = try #require(obj["probabilities"] as? [String: [Double]])
            #expect(probs["op"]?.count == 2 && probs["in"]?.count == 2)
            #expect(obj["train_loss"] is Double && obj["valid_accuracy"] is Double)
        }
        let arch = out + "/best_architecture.json"
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arch))) as? [String: Any])
        #expect(Set(json.keys) == ["op", "in"])
        #expect(FileManager.default.fileExists(atPath: out + "/best_architecture.nni-v1.json"))
        // The export retrains.
        let t = try NascProcess.run(["train", space, "--arch", arch, "--data", "synthetic?count=64&test=16", "--epochs", "1"])
        #expect(t.code == 0, "\(t.stderr)")
    }

    @Test func badNamesAndOptionsAreOneLineErrors() throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("e").path
        let bogus = try NascProcess.run(["run", "--strategy", "bogus", space, "-o", out] + Self.data)
        #expect(bogus.code == 1 && bogus.stderr.contains("unknown strategy 'bogus'"), "\(bogus.stderr)")
        let enas = try NascProcess.run(["run", "--strategy", "enas", space, "-o", out, "--strategy-option", "ctrl_steps=-1"] + Self.data)
        #expect(enas.code == 1 && enas.stderr.contains("--strategy-option: error: ctrl_steps must be a non-negative integer"), "\(enas.stderr)")
        let opt = try NascProcess.run(["run", "--strategy", "darts", space, "-o", out, "--strategy-option", "frobnicate=1"] + Self.data)
        #expect(opt.code == 1 && opt.stderr.contains("--strategy-option: error: unknown strategy option frobnicate"), "\(opt.stderr)")
        let val = try NascProcess.run(["run", "--strategy", "darts", space, "-o", out, "--strategy-option", "unrolled=maybe"] + Self.data)
        #expect(val.code == 1 && val.stderr.contains("unrolled must be true or false"), "\(val.stderr)")
        let noData = try NascProcess.run(["run", "--strategy", "proxyless", space, "-o", out])
        #expect(noData.code == 2 && noData.stderr.contains("give --data"), "\(noData.stderr)")
        for r in [enas, opt, val] { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
        let mode = try NascProcess.run(["compile", space, "--supernet", "gumbel", "-o", dir.appendingPathComponent("g.pb").path])
        #expect(mode.code == 0, "\(mode.stderr)")
        let dump = try NascProcess.run(["dump", dir.appendingPathComponent("g.pb").path])
        #expect(dump.stdout.contains("gumbel:noise:op"), "\(dump.stdout.prefix(400))")
        let px = try NascProcess.run(["compile", space, "--supernet", "proxyless", "-o", dir.appendingPathComponent("p.pb").path])
        #expect(px.code == 0, "\(px.stderr)")
        let badMode = try NascProcess.run(["compile", space, "--supernet", "bogus", "-o", dir.appendingPathComponent("b.pb").path])
        #expect(badMode.code == 1 && badMode.stderr.contains("expected darts, gumbel, sampled or proxyless"), "\(badMode.stderr)")
    }
}
