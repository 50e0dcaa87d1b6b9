// TensorBoardTests: nasc's TensorBoard event files (CRC-32C, TFRecord framing, scalars, HParams summaries) read back
// by TensorBoard's own EventAccumulator and by tbparse (scripts/tb-readback.py), for multi-trial and one-shot runs.
import Foundation
import NASCBoard
import Testing

/// Runs scripts/tb-readback.py on a log directory and returns its JSON.
func tensorBoardReadback(_ logdir: String) throws -> [String: Any] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", NascProcess.root.appendingPathComponent("scripts/tb-readback.py").path, logdir]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "tb-readback failed: \(String(decoding: e, as: UTF8.self))")
    return try #require(try JSONSerialization.jsonObject(with: o) as? [String: Any])
}

/// `[[step, value], ...]` of `run`/`tag` in one reader's output.
func series(_ reader: Any?, _ run: String, _ tag: String) -> [(Int, Double)] {
    guard let runs = reader as? [String: Any], let tags = runs[run] as? [String: Any], let points = tags[tag] as? [[Any]] else { return [] }
    return points.compactMap { p in
        guard p.count == 2, let s = (p[0] as? NSNumber)?.intValue, let v = (p[1] as? NSNumber)?.doubleValue else { return nil }
        return (s, v)
    }
}

@Suite struct TensorBoardFramingTests {
    @Test func crc32cMatchesTensorBoard() {
        // Values from tensorboard.compat.tensorflow_stub.pywrap_tensorflow.{crc32c, masked_crc32c}.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.masked(Array("123456789".utf8)) == 0xC78A_B0E5)
        #expect(CRC32C.masked([UInt8]()) == 0xA282_EAD8)
        #expect(CRC32C.masked((0..<256).map { UInt8($0) }) == 0xD31A_2360)
    }

    @Test func framingRoundTripsAndDetectsCorruption() {
        let records: [[UInt8]] = [[], Array("brain.Event:2".utf8), (0..<300).map { UInt8($0 % 251) }]
        let bytes = records.flatMap(TFRecord.frame)
        #expect(bytes.count == records.reduce(0) { $0 + $1.count + 16 })
        #expect(TFRecord.records(bytes) == records)
        var flipped = bytes
        flipped[16 + 12 + 3] ^= 1   // a data byte of the second record
        #expect(TFRecord.records(flipped) == nil)
        #expect(TFRecord.records(Array(bytes.dropLast())) == nil)
    }

    @Test func scalarsAndHParamsReadBackByTensorBoard() throws {
        let dir = try NascProcess.tempDir().path
        let w = try EventFileWriter(directory: dir + "/run_a")
        try w.write(HParamsSummary.experiment(name: "t", hparams: [.init(name: "op", values: [.string("conv"), .string("skip")]),
                                                                     .init(name: "width", values: [.number(16), .number(32)])],
                                              metrics: [("final_metric", "m")], created: 1), step: 0)
        try w.write(HParamsSummary.sessionStart(hparams: ["op": .string("skip"), "width": .number(32)], started: 2), step: 0)
        for step in 1...3 { try w.scalars([("metric", Double(step) / 4), ("loss", 1 / Double(step))], step: step) }
        try w.write(HParamsSummary.sessionEnd(.success, ended: 3), step: 3)
        let r = try tensorBoardReadback(dir)
        for reader in ["tbparse", "accumulator"] {
            #expect(series(r[reader], "run_a", "metric").map(\.0) == [1, 2, 3], "\(reader)")
            #expect(series(r[reader], "run_a", "metric").map(\.1) == [0.25, 0.5, 0.75], "\(reader)")
            #expect(series(r[reader], "run_a", "loss").map(\.1).map { Float($0) } == [1, 0.5, Float(1.0 / 3)], "\(reader)")
        }
        let hp = try #require(r["hparams"] as? [String: Any])
        let exp = try #require(hp["experiment"] as? [String: Any])
        let infos = try #require(exp["hparams"] as? [String: [String: Any]])
        #expect(infos["op"]?["type"] as? String == "DATA_TYPE_STRING")
        #expect(infos["width"]?["type"] as? String == "DATA_TYPE_FLOAT64")
        #expect(infos["op"]?["values"] as? [String] == ["conv", "skip"])
        #expect(exp["metrics"] as? [String] == ["final_metric"])
        let session = try #require((hp["sessions"] as? [String: [String: Any]])?["run_a"])
        #expect(session["status"] as? String == "STATUS_SUCCESS")
        #expect((session["hparams"] as? [String: Any])?["op"] as? String == "skip")
        #expect(((session["hparams"] as? [String: Any])?["width"] as? NSNumber)?.doubleValue == 32)
    }

    @Test func unwritableDirectoryIsALocatedError() throws {
        let dir = try NascProcess.tempDir()
        let file = dir.appendingPathComponent("plain-file").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try EventFileWriter(directory: file + "/tb") }
        do { _ = try EventFileWriter(directory: file + "/tb") } catch {
            #expect("\(error)".hasPrefix(file + "/tb: error: cannot create the TensorBoard directory"), "\(error)")
        }
    }
}

@Suite(.serialized) struct TensorBoardCLITests {
    @Test func multiTrialRunWritesTrialAndExperimentScalarsAndHParams() throws {
        let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let run = try NascProcess.run(["run", "--strategy", "random", "--seed", "5", mlp, "-o", dir, "--benchmark", "synthetic:4",
                                       "--max-trials", "4", "--no-live"])
        #expect(run.code == 0, "\(run.stderr)")
        let r = try tensorBoardReadback(dir + "/tensorboard")
        let list = try NascProcess.run(["experiment", "list", dir])
        let rows = listedTrials(list.stdout)
        #expect(rows.count == 4)
        for reader in ["tbparse", "accumulator"] {
            for row in rows {
                let run = String(format: "trial_%04d", row.id)
                #expect(series(r[reader], run, "metric").map(\.0) == [1, 2, 3], "\(reader) \(run)")   // synthetic benchmark curves have 3 epochs
                let final = series(r[reader], run, "final_metric")
                // `list` prints 4 decimals.
                #expect(final.count == 1 && abs(final[0].1 - (Double(row.metric) ?? -9)) < 6e-5, "\(reader) \(run): \(final) vs \(row.metric)")
            }
            let best = series(r[reader], "experiment", "best_so_far")
            #expect(best.map(\.0) == [1, 2, 3, 4], "\(reader)")
            #expect(best.map(\.1) == best.map(\.1).sorted(), "best so far never decreases")
            #expect(abs((best.last?.1 ?? -9) - (rows.compactMap { Double($0.metric) }.max() ?? 9)) < 6e-5)
            #expect(series(r[reader], "experiment", "trials_per_minute").count == 4)
        }
        let hp = try #require(r["hparams"] as? [String: Any])
        let exp = try #require(hp["experiment"] as? [String: Any])
        #expect(Set((exp["hparams"] as? [String: Any])?.keys.map { $0 } ?? []) == ["activation", "depth", "width"])
        let sessions = try #require(hp["sessions"] as? [String: [String: Any]])
        #expect(sessions.count == 4)
        for row in rows {
            let s = try #require(sessions[String(format: "trial_%04d", row.id)])
            #expect(s["status"] as? String == "STATUS_SUCCESS")
            let shown = try NascProcess.run(["experiment", "show", dir, "\(row.id)"])
            let act = try #require(s["hparams"] as? [String: Any])["activation"] as? String
            #expect(act.map { shown.stdout.contains("\"activation\": \"\($0)\"") } == true, "\(String(describing: act)) vs \(shown.stdout)")
        }
    }

    @Test func oneShotRunWritesProbabilitiesPerCandidateAndSupernetScalars() throws {
        let (dir, space) = try OneShotCLITests().setup()
        let out = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "darts", space, "-o", out] + OneShotCLITests.data + ["--strategy-option", "max_batches=2"])
        #expect(r.code == 0, "\(r.stderr)")
        let back = try tensorBoardReadback(out + "/tensorboard")
        // The epoch log, written as the search went, has the same probabilities.
        let lines = try String(contentsOfFile: out + "/oneshot.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        let probs = try #require(last["probabilities"] as? [String: [Double]])
        for reader in ["tbparse", "accumulator"] {
            for tag in ["supernet/train_loss", "supernet/train_accuracy", "supernet/valid_loss", "supernet/valid_accuracy"] {
                #expect(series(back[reader], ".", tag).map(\.0) == [0, 1], "\(reader) \(tag)")
            }
            let conv = series(back[reader], ".", "op/conv3"), skip = series(back[reader], ".", "op/skip")
            #expect(conv.count == 2 && skip.count == 2, "\(reader)")
            #expect(abs(conv[1].1 + skip[1].1 - 1) < 1e-5)
            #expect(Float(conv[1].1) == Float(probs["op"]?[0] ?? -1))
            let in0 = series(back[reader], ".", "in/0"), in1 = series(back[reader], ".", "in/1")
            #expect(in0.count == 2 && in1.count == 2 && abs(in0[1].1 + in1[1].1 - 1) < 1e-5, "\(reader)")
        }
    }

    /// A resumed one-shot run writes the epochs after its checkpoint again, in a new file: the killed session's later
    /// epochs (and a record cut by the kill) are dropped from the earlier files, so each step is read once.
    @Test func trimmingDropsLaterStepsAndACutRecord() throws {
        let dir = try NascProcess.tempDir().path + "/tb"
        let w = try EventFileWriter(directory: dir)
        for step in 0..<6 { try w.scalars([("supernet/valid_accuracy", Double(step) / 10)], step: step) }
        let first = w.path
        // A record cut in the middle (the kill came while writing it).
        let cut = TFRecord.frame(Array(repeating: 7, count: 40)).prefix(30)
        let h = try #require(FileHandle(forWritingAtPath: first))
        h.seekToEndOfFile()
        h.write(Data(cut))
        try h.close()
        try EventFileTrim.dropSteps(from: 3, in: dir)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: first)))
        let records = try #require(TFRecord.records(bytes), "the trimmed file is well-framed")
        #expect(records.count == 4, "the header and steps 0, 1, 2")
        // The resumed session's own file.
        let w2 = try EventFileWriter(directory: dir)
        for step in 3..<6 { try w2.scalars([("supernet/valid_accuracy", Double(step) / 10)], step: step) }
        let back = try tensorBoardReadback(dir)
        for reader in ["tbparse", "accumulator"] {
            #expect(series(back[reader], ".", "supernet/valid_accuracy").map(\.0) == Array(0..<6), "\(reader)")
        }
    }
}
