// OneShotResumeCLITests: a one-shot `nasc run` is an experiment. Killed with SIGKILL at random moments and resumed
// with `nasc run --resume DIR` until it ends, it writes the same epoch log and export as an uninterrupted run; the
// store records it (`nasc experiment list|show|top-k`); a changed space file refuses to resume; Ctrl-C says how to
// continue.
import Foundation
import Testing

@Suite(.serialized) struct OneShotResumeCLITests {
    static let epochs = 6

    func runArgs(_ strategy: String, _ space: String, _ dir: String, _ options: [String]) -> [String] {
        ["run", "--strategy", strategy, space, "-o", dir, "--data", "synthetic?count=64&test=16", "--train-epochs", "\(Self.epochs)",
         "--batch-size", "16"] + options.flatMap { ["--strategy-option", $0] }
    }

    /// Starts `nasc` with `args`, output to `log`; returns the process.
    func start(_ args: [String], log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NascProcess.binary)
        p.arguments = args
        p.currentDirectoryURL = NascProcess.root
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func file(_ dir: String, _ name: String) -> String { (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "<missing>" }

    @Test(arguments: [
        ("darts", ["max_batches=2"]), ("gumbel", ["max_batches=2"]), ("proxyless", ["max_batches=2"]),
        ("spos", ["max_batches=2", "population=3", "generations=1"]), ("enas", ["max_batches=2", "ctrl_steps=2"]),
        ("cdarts", ["max_batches=2", "warmup_epochs=2"]),
        // Two stages (6 epochs each): the second searches `in` alone, with skip dropout; kills land in both stages.
        ("pdarts", ["max_batches=2", "num_to_drop=1,0"]),
    ])
    func killDashNineAtRandomMomentsThenResumeEndsWithTheSameExport(strategy: String, options: [String]) throws {
        let (tmp, space) = try OneShotCLITests().setup()
        // The uninterrupted reference.
        let ref = tmp.appendingPathComponent("ref").path
        let started = Date()
        let r = try NascProcess.run(runArgs(strategy, space, ref, options))
        #expect(r.code == 0, "\(r.stderr)")
        let duration = Date().timeIntervalSince(started)
        #expect(file(ref, "oneshot.jsonl").split(separator: "\n").count >= Self.epochs)

        // The same run, killed at random moments (the first time once it has started, then anywhere) and resumed.
        let dir = tmp.appendingPathComponent("killed").path
        let log = tmp.appendingPathComponent("run.log").path
        var rng = SystemRandomNumberGenerator()
        var kills = 0, sessions = 0, starts = 0, finished = false
        while starts < 40 {
            starts += 1
            let p = try start(sessions == 0 ? runArgs(strategy, space, dir, options) : ["run", "--resume", dir], log: log)
            sessions += 1
            if sessions == 1 {
                // Once the store exists (settings.json is written after it): before, there is nothing to resume.
                let deadline = Date().addingTimeInterval(60)
                while Date() < deadline, !FileManager.default.fileExists(atPath: dir + "/settings.json"), p.isRunning { Thread.sleep(forTimeInterval: 0.005) }
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * (sessions == 1 ? 0.3 : 0.6)), using: &rng))
            if p.isRunning, kills < 6 {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            p.waitUntilExit()
            if p.terminationReason == .exit {
                #expect(p.terminationStatus == 0, "session \(sessions): \(file(tmp.path, "run.log"))")
                if kills == 0 {
                    // The first run ended before its kill: start over, so that at least one kill happens.
                    try FileManager.default.removeItem(atPath: dir)
                    sessions = 0
                    continue
                }
                finished = true
                break
            }
        }
        #expect(finished && kills >= 1, "\(kills) kills in \(sessions) sessions (\(starts) starts)")
        print("one-shot resume: \(strategy) killed \(kills) times, \(sessions) sessions, reference run \(String(format: "%.2f", duration)) s")
        #expect(file(dir, "oneshot.jsonl") == file(ref, "oneshot.jsonl"), "the epoch log of \(strategy) after \(kills) kills")
        #expect(file(dir, "best_architecture.json") == file(ref, "best_architecture.json"), "the export of \(strategy) after \(kills) kills")

        // TensorBoard shows each epoch once, though sessions were killed after writing epochs their checkpoint lacks.
        // The reference logs one step per search epoch (P-DARTS counts on across its stages), and the killed run the same.
        let refSteps = series(try tensorBoardReadback(ref + "/tensorboard")["tbparse"], ".", "supernet/valid_accuracy").map(\.0)
        #expect(refSteps.count >= Self.epochs && refSteps == Array(0..<refSteps.count), "\(strategy) reference: \(refSteps)")
        let board = try tensorBoardReadback(dir + "/tensorboard")
        #expect(series(board["tbparse"], ".", "supernet/valid_accuracy").map(\.0) == refSteps, "\(strategy) after \(kills) kills")

        // The store records the run: one trial (the export) with a metric per epoch.
        let list = try NascProcess.run(["experiment", "list", dir, "--json"])
        #expect(list.code == 0, "\(list.stderr)")
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any] ?? [:]
        let trials = listed["trials"] as? [[String: Any]] ?? []
        #expect((listed["experiment"] as? [String: Any])?["status"] as? String == "finished")
        #expect(trials.count == 1 && trials.first?["status"] as? String == "succeeded", "\(list.stdout)")
        let show = try NascProcess.run(["experiment", "show", dir])
        #expect(show.code == 0 && show.stdout.contains("intermediate: epoch 0 ") && show.stdout.contains("epoch \(Self.epochs - 1) "), "\(show.stdout)")
        #expect(try NascProcess.run(["experiment", "top-k", dir]).stdout.contains("1 "))
        // Resuming a finished run changes nothing.
        let again = try NascProcess.run(["run", "--resume", dir])
        #expect(again.code == 0 && again.stdout.contains("already finished"), "\(again.stdout)\(again.stderr)")
        #expect(try NascProcess.run(["experiment", "list", dir, "--json"]).stdout == list.stdout)
    }

    @Test func resumeAfterTheSpaceFileChangedIsOneLocatedLine() throws {
        let (tmp, space) = try OneShotCLITests().setup()
        let dir = tmp.appendingPathComponent("exp").path
        let r = try NascProcess.run(runArgs("darts", space, dir, ["max_batches=1"]))
        #expect(r.code == 0, "\(r.stderr)")
        try (String(contentsOfFile: space, encoding: .utf8) + "\n# edited\n").write(toFile: space, atomically: true, encoding: .utf8)
        let again = try NascProcess.run(["run", "--resume", dir])
        #expect(again.code == 1 && again.stdout.isEmpty)
        #expect(again.stderr.hasPrefix("\(space): error: the space file changed since this one-shot run started"), "\(again.stderr)")
        #expect(again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
    }

    @Test func ctrlCSaysHowToResume() throws {
        let (tmp, space) = try OneShotCLITests().setup()
        let dir = tmp.appendingPathComponent("exp").path
        let log = tmp.appendingPathComponent("run.log").path
        let err = tmp.appendingPathComponent("err.log").path
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        // Enough epochs that the run is still going when interrupted.
        var args = runArgs("darts", space, dir, [])
        args[args.firstIndex(of: "--train-epochs")! + 1] = "100000"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NascProcess.binary)
        p.arguments = args
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = FileHandle(forWritingAtPath: err)
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !file(tmp.path, "run.log").contains("epoch 1:"), p.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130)
        #expect(file(tmp.path, "err.log").trimmingCharacters(in: .whitespacesAndNewlines) == "interrupted; continue with: nasc run --resume \(dir)",
                "\(file(tmp.path, "err.log"))")
        // What it says works: the run continues from its last checkpoint.
        let resumed = try start(["run", "--resume", dir], log: log)
        while Date() < deadline, !file(tmp.path, "run.log").contains("resumed after epoch"), resumed.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        #expect(file(tmp.path, "run.log").contains("resumed after epoch"), "\(file(tmp.path, "run.log"))")
        kill(resumed.processIdentifier, SIGKILL)
        resumed.waitUntilExit()
    }

    /// SIGTERM, SIGHUP and SIGQUIT stop a one-shot run as Ctrl-C does (before the fix they killed it without a word,
    /// and SIGQUIT dumped core): exit 128 + signal with the resume note, the checkpoint intact, and `--resume` ends
    /// with the same epoch log and export as an uninterrupted run. A closed standard output (`| head -1`) does the
    /// same with SIGPIPE's status, 141, instead of killing the run.
    @Test(arguments: [SIGTERM, SIGHUP, SIGQUIT, SIGPIPE])
    func everyStopSignalLeavesAResumableRun(signal: Int32) throws {
        let (tmp, space) = try OneShotCLITests().setup()
        let ref = tmp.appendingPathComponent("ref").path
        var args = runArgs("darts", space, ref, ["max_batches=2"])
        args[args.firstIndex(of: "--train-epochs")! + 1] = "12"
        let r = try NascProcess.run(args)
        #expect(r.code == 0, "\(r.stderr)")
        let dir = tmp.appendingPathComponent("exp").path
        args[args.firstIndex(of: ref)!] = dir
        let status: Int32, err: String
        if signal == SIGPIPE {
            // head exits after the first epoch line; the next one finds the pipe closed.
            let quoted = args.map { "'\($0)'" }.joined(separator: " ")
            let piped = try shell("\"$NASC\" \(quoted) | head -1 >/dev/null; exit ${PIPESTATUS[0]}")
            status = piped.code
            err = piped.stderr
        } else {
            let log = tmp.appendingPathComponent("run.log").path
            let errPath = tmp.appendingPathComponent("err.log").path
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: NascProcess.binary)
            p.arguments = args
            p.currentDirectoryURL = NascProcess.root
            p.standardOutput = FileHandle(forWritingAtPath: log)
            p.standardError = FileHandle(forWritingAtPath: errPath)
            try p.run()
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, !file(tmp.path, "run.log").contains("epoch 1:"), p.isRunning { Thread.sleep(forTimeInterval: 0.005) }
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            #expect(p.terminationReason == .exit, "killed by the signal itself")
            status = p.terminationStatus
            err = file(tmp.path, "err.log")
        }
        #expect(status == 128 + signal, "\(err)")
        #expect(err.trimmingCharacters(in: .whitespacesAndNewlines) == "interrupted; continue with: nasc run --resume \(dir)", "\(err)")
        #expect(file(dir, "oneshot.jsonl") != file(ref, "oneshot.jsonl"), "the run ended before the signal")
        let resumed = try NascProcess.run(["run", "--resume", dir])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(file(dir, "oneshot.jsonl") == file(ref, "oneshot.jsonl"))
        #expect(file(dir, "best_architecture.json") == file(ref, "best_architecture.json"))
    }

    /// Killed with SIGKILL at any moment of its first second (before, while and after its store is created): the
    /// directory is either empty of a store (a fresh run works) or resumable, and ends with the reference's export.
    @Test func killDashNineWhileStartingLeavesAResumableOrFreshDirectory() throws {
        let (tmp, space) = try OneShotCLITests().setup()
        let ref = tmp.appendingPathComponent("ref").path
        let r = try NascProcess.run(runArgs("darts", space, ref, ["max_batches=2"]))
        #expect(r.code == 0, "\(r.stderr)")
        var rng = SystemRandomNumberGenerator()
        var resumed = 0, fresh = 0
        for attempt in 0..<8 {
            let dir = tmp.appendingPathComponent("k\(attempt)").path
            let p = try start(runArgs("darts", space, dir, ["max_batches=2"]), log: tmp.appendingPathComponent("k.log").path)
            // Half the kills just after the store appears, the rest anywhere in the start-up.
            if attempt % 2 == 0 {
                let deadline = Date().addingTimeInterval(30)
                while Date() < deadline, !FileManager.default.fileExists(atPath: dir + "/experiment.sqlite"), p.isRunning { usleep(200) }
                usleep(UInt32.random(in: 0...20_000, using: &rng))
            } else {
                usleep(UInt32.random(in: 0...600_000, using: &rng))
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let hasStore = FileManager.default.fileExists(atPath: dir + "/experiment.sqlite")
            let again = try NascProcess.run(hasStore ? ["run", "--resume", dir] : runArgs("darts", space, dir, ["max_batches=2"]))
            #expect(again.code == 0, "attempt \(attempt) (\(hasStore ? "resume" : "fresh run")): \(again.stderr)")
            #expect(file(dir, "best_architecture.json") == file(ref, "best_architecture.json"), "attempt \(attempt)")
            #expect(file(dir, "oneshot.jsonl") == file(ref, "oneshot.jsonl"), "attempt \(attempt)")
            if hasStore { resumed += 1 } else { fresh += 1 }
        }
        print("one-shot start-up kills: \(resumed) resumed, \(fresh) fresh")
    }

    /// `nasc experiment list` counts a killed session's time: the run records its elapsed time every second, not
    /// only when it finishes (before, a session killed after several seconds counted 0 s).
    @Test func aKilledSessionsTimeIsCounted() throws {
        let (tmp, space) = try OneShotCLITests().setup()
        let dir = tmp.appendingPathComponent("exp").path
        var args = runArgs("darts", space, dir, [])
        args[args.firstIndex(of: "--train-epochs")! + 1] = "100000"
        let p = try start(args, log: tmp.appendingPathComponent("run.log").path)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !file(tmp.path, "run.log").contains("epoch 0:"), p.isRunning { Thread.sleep(forTimeInterval: 0.02) }
        let started = Date()
        Thread.sleep(forTimeInterval: 3)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let ranAtLeast = Date().timeIntervalSince(started)
        let list = try NascProcess.run(["experiment", "list", dir, "--json"])
        #expect(list.code == 0, "\(list.stderr)")
        let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any] ?? [:]
        let elapsed = (listed["experiment"] as? [String: Any])?["elapsed_s"] as? Double ?? -1
        // Recorded once a second: at most about a second is lost.
        #expect(elapsed >= ranAtLeast - 1.5, "elapsed \(elapsed) s after running over \(ranAtLeast) s")
    }
}
