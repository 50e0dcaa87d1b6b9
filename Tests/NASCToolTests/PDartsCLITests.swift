// PDartsCLITests: `nasc run --strategy pdarts` prints and stores its settings, logs every stage's epochs and exports
// the deepest repeat; schedules the space cannot follow are one-line `--strategy-option` errors with exit 1.
import Foundation
import Testing

@Suite(.serialized) struct PDartsCLITests {
    /// The tiny one-shot space with a repeat of depth 1..3 around a four-candidate layer choice.
    static let space = """
    space "pd8" version 1 root @main

    graph @main(%x: f32[N,1,8,8]) {
      %s = conv2d(%x) {out = 2, kernel = 1}
      %r = repeat(%s) {label = "cells", depths = [1, 2, 3], blocks = [@blk, @blk, @blk]}
      %f = flatten(%r)
      %o = linear(%f) {out = 10}
      return %o
    }

    graph @blk(%x: f32[N,2,8,8]) {
      %c = layer_choice(%x) {label = "op", candidates = [conv3 = @conv3, conv1 = @conv1, skip = @skip, pool = @pool]}
      return %c
    }

    graph @conv3(%x: f32[N,2,8,8]) {
      %y = conv2d(%x) {out = 2, kernel = 3, padding = 1}
      return %y
    }

    graph @conv1(%x: f32[N,2,8,8]) {
      %y = conv2d(%x) {out = 2, kernel = 1}
      return %y
    }

    graph @skip(%x: f32[N,2,8,8]) {
      return %x
    }

    graph @pool(%x: f32[N,2,8,8]) {
      %y = avg_pool2d(%x) {kernel = 3, stride = 1, padding = 1}
      return %y
    }
    """

    func setup() throws -> (URL, String) {
        let dir = try NascProcess.tempDir()
        let path = dir.appendingPathComponent("pd8.nir").path
        try Self.space.write(toFile: path, atomically: true, encoding: .utf8)
        return (dir, path)
    }

    static let data = ["--data", "synthetic?count=64&test=16", "--train-epochs", "2", "--batch-size", "16"]

    @Test func aRunLogsThreeStagesAndStoresItsSettings() throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "pdarts", space, "-o", out] + Self.data
                                    + ["--strategy-option", "max_batches=2", "--strategy-option", "warmup_epochs=1"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("settings: pdarts epochs 2"), "\(r.stdout.prefix(400))")
        #expect(r.stdout.contains("num_to_drop 1,1,1") && r.stdout.contains("depths 1,2,3") && r.stdout.contains("skip_dropout 0.0,0.4,0.7"),
                "\(r.stdout.prefix(600))")
        let log = try String(contentsOfFile: out + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 6)
        let stages = try log.map { line -> Double in
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return obj["stage"] as? Double ?? -1
        }
        #expect(stages == [0, 0, 1, 1, 2, 2])
        let settings = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/settings.json"))) as? [String: Any])
        let values = settings["settings"] as? [String: Any] ?? [:]
        #expect(settings["strategy"] as? String == "pdarts" && values["max_skips"] as? Int == 2 && values["depth_label"] as? String == "cells",
                "\(settings)")
        let arch = try String(contentsOfFile: out + "/best_architecture.json", encoding: .utf8)
        #expect(arch.contains("\"cells\": 3"), "\(arch)")
        // The export retrains.
        let train = try NascProcess.run(["train", space, "--arch", out + "/best_architecture.json", "--data", "synthetic?count=64&test=16",
                                         "--epochs", "1", "--batch-size", "16"])
        #expect(train.code == 0, "\(train.stderr)")
    }

    @Test(arguments: [
        (["depths=1,1,3"], "--strategy-option: error: depths 1,1,3 do not increase (1 then 1)"),
        (["depths=3,2"], "--strategy-option: error: depths 3,2 do not increase (3 then 2)"),
        (["stages=4"], "--strategy-option: error: stages=4 is more stages than candidates to drop"),
        (["num_to_drop=2,1,1"], "--strategy-option: error: num_to_drop 2,1,1 drops 4 candidates"),
        (["num_to_drop=1,x"], "--strategy-option: error: num_to_drop must be a comma-separated list"),
        (["depth_label=op"], "--strategy-option: error: depth_label 'op' is not a repeat of the space"),
        (["depths=1,2,3", "skip_dropout=0.1,0.2"], "--strategy-option: error: skip_dropout has 2 entries for 3 stages"),
        (["max_skips=-1"], "--strategy-option: error: max_skips must be a non-negative integer"),
    ])
    func badSchedulesAreOneLineErrors(options: [String], expected: String) throws {
        let (dir, space) = try setup()
        let out = dir.appendingPathComponent("bad").path
        let r = try NascProcess.run(["run", "--strategy", "pdarts", space, "-o", out] + Self.data + options.flatMap { ["--strategy-option", $0] })
        #expect(r.code == 1 && r.stderr.contains(expected), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/oneshot.jsonl"), "nothing is written for a bad schedule")
    }
}
