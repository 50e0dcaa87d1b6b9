// RunnerFaultCLITests: `nasc run` under faults — signals, open-file limits, hung trials, kill -9 during creation,
// resume from another directory, simultaneous starts, read-only experiments, mismatched data splits.
import Foundation
import Testing

/// Runs a bash script (for `ulimit` and `setpriv`), with `$NASC` set to the debug binary.
func shell(_ script: String, cwd: URL? = nil) throws -> NascProcess.Result {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-c", script]
    p.environment = ProcessInfo.processInfo.environment.merging(["NASC": NascProcess.binary]) { $1 }
    p.currentDirectoryURL = cwd ?? NascProcess.root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return NascProcess.Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// Pids of live (not zombie) processes whose command line mentions `text`.
func processes(mentioning text: String) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return entries.compactMap { name -> Int32? in
        guard let pid = Int32(name), pid != getpid(),
              let cmd = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"), !cmd.isEmpty,
              let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        guard state != "Z", String(decoding: cmd, as: UTF8.self).contains(text) else { return nil }
        return pid
    }
}

/// Waits up to `seconds` for no process to mention `text`; returns the ones left.
func survivors(mentioning text: String, within seconds: Double = 5) -> [Int32] {
    let deadline = Date().addingTimeInterval(seconds)
    var left = processes(mentioning: text)
    while !left.isEmpty && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.05)
        left = processes(mentioning: text)
    }
    return left
}

/// Starts `nasc args...` without waiting; stdout and stderr go to files in `dir`.
func launch(_ args: [String], logs dir: String, name: String = "run") throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: NascProcess.binary)
    p.arguments = args
    p.currentDirectoryURL = NascProcess.root
    FileManager.default.createFile(atPath: "\(dir)/\(name).out", contents: nil)
    FileManager.default.createFile(atPath: "\(dir)/\(name).err", contents: nil)
    p.standardOutput = FileHandle(forWritingAtPath: "\(dir)/\(name).out")
    p.standardError = FileHandle(forWritingAtPath: "\(dir)/\(name).err")
    try p.run()
    return p
}

/// Bash that closes every descriptor above 2 the test process handed down: under a lowered `ulimit -n`, an inherited
/// descriptor numbered above the limit makes every process start fail with EBADF (a fault of the test's parent, not
/// of the run). (The redirection is on each `eval`: on the whole loop, bash's saved copy of stderr is among the
/// descriptors closed, and stderr stays /dev/null.)
let closeInheritedDescriptors = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\" 2>/dev/null; done; "

func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

@Suite(.serialized) struct RunnerFaultCLITests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path

    /// SIGINT, SIGTERM, SIGHUP and SIGQUIT at random moments, from the first milliseconds (before or while the store
    /// is created; no early SIGQUIT, whose default action dumps core) to the middle of the run: the run ends with
    /// 128 + signal (or, before its handlers are installed, by the signal itself, with no trial started), no trial
    /// process survives it, and `--resume` (or a fresh run when no store was made) completes the experiment with
    /// every trial succeeded exactly once.
    @Test func signalsEndEveryTrialAndResumeCompletes() throws {
        var rng = SystemRandomNumberGenerator()
        let rounds: [(Int32, early: Bool)] = [(SIGINT, true), (SIGTERM, true), (SIGHUP, true), (SIGHUP, false), (SIGQUIT, false),
                                              (SIGINT, false), (SIGTERM, false)]
        for (round, (sig, early)) in rounds.enumerated() {
            let tmp = try NascProcess.tempDir().path
            let dir = tmp + "/exp"
            // Trials 3 and 6 hang after epoch 1; the others take 0.15 s per epoch.
            let args = ["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:4", "--max-trials", "8",
                        "--concurrency", "2", "--epoch-ms", "150", "--hang-every", "3", "--no-live"]
            let p = try launch(args, logs: tmp)
            if early {
                Thread.sleep(forTimeInterval: Double.random(in: 0...0.3, using: &rng))
            } else {
                let created = Date().addingTimeInterval(20)
                while !FileManager.default.fileExists(atPath: dir + "/experiment.sqlite") && Date() < created { Thread.sleep(forTimeInterval: 0.01) }
                Thread.sleep(forTimeInterval: Double.random(in: 0...1.8, using: &rng))
            }
            let running = processes(mentioning: dir + "/trials")
            kill(p.processIdentifier, sig)
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            #expect(!p.isRunning, "round \(round): nasc run ignored signal \(sig)")
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            let err = contents(tmp + "/run.err")
            #expect(survivors(mentioning: dir, within: 3).isEmpty, "round \(round): trial processes outlived nasc run (had \(running))")
            let hasStore = FileManager.default.fileExists(atPath: dir + "/experiment.sqlite")
            if p.terminationReason == .uncaughtSignal {
                // Only before the handlers exist: nothing was started, and nothing is left that a run would refuse.
                #expect(early && p.terminationStatus == sig, "round \(round): killed by \(p.terminationStatus) \(err)")
                #expect(running.isEmpty, "round \(round): trial processes ran before the handlers were installed")
            } else {
                #expect(p.terminationStatus == 128 + sig || p.terminationStatus == 0, "round \(round): \(p.terminationStatus) \(err)")
                if p.terminationStatus != 0 {
                    #expect(err.contains("interrupted by signal \(sig)") && err.contains("--resume"), "\(err)")
                }
            }
            // The hung trials are stopped by the stall timeout on resume.
            let r = hasStore ? try NascProcess.run(["run", "--resume", dir, "--stall-timeout", "2s", "--no-live"])
                             : try NascProcess.run(args + ["--stall-timeout", "2s"])
            #expect(r.code == 0, "round \(round), store \(hasStore): \(r.stderr)")
            #expect(r.stdout.contains("finished (max-trials): 8 trials, "), "\(r.stdout)")
            let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
            #expect(rows.count == 8 && rows.allSatisfy { $0.status == "succeeded" || $0.id % 3 == 0 }, "\(rows)")
            #expect(!rows.contains { $0.error.contains("signal") }, "an interruption was recorded as a trial failure: \(rows)")
        }
    }

    /// A signal its parent ignores stays ignored (`nohup`, or a script's `&` for SIGINT): a SIGHUP then leaves the run
    /// going, and it finishes every trial.
    @Test func anIgnoredSignalStaysIgnored() throws {
        let tmp = try NascProcess.tempDir().path
        let dir = tmp + "/exp"
        let script = "trap '' HUP; exec \"$NASC\" run --strategy random '\(mlp)' '\(dir)' --benchmark synthetic:2 --max-trials 4 "
            + "--concurrency 2 --epoch-ms 150 --no-live > '\(tmp)/run.out' 2> '\(tmp)/run.err'"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.environment = ProcessInfo.processInfo.environment.merging(["NASC": NascProcess.binary]) { $1 }
        try p.run()
        let created = Date().addingTimeInterval(20)
        while processes(mentioning: dir + "/trials").isEmpty && Date() < created { Thread.sleep(forTimeInterval: 0.01) }
        kill(p.processIdentifier, SIGHUP)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(p.terminationStatus) \(contents(tmp + "/run.err"))")
        #expect(contents(tmp + "/run.out").contains("finished (max-trials): 4 trials, 4 succeeded, 0 failed"), "\(contents(tmp + "/run.out"))")
    }

    /// A `nasc run` killed by SIGKILL (no handler runs): its trials notice and exit on their own.
    @Test func trialsEndWhenTheRunnerIsKilled() throws {
        let tmp = try NascProcess.tempDir().path
        let dir = tmp + "/exp"
        let p = try launch(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:4", "--max-trials", "6",
                            "--concurrency", "2", "--epoch-ms", "400", "--hang-every", "1", "--no-live"], logs: tmp)
        let deadline = Date().addingTimeInterval(20)
        while processes(mentioning: dir + "/trials").count < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(processes(mentioning: dir + "/trials").count == 2)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(survivors(mentioning: dir, within: 5).isEmpty)
    }

    /// 512 architectures with fast trials.
    static let wideSpace = """
    space wide
    input x: [16]
    h = x -> linear(out: choice("w1", [4, 8, 12, 16, 20, 24, 28, 32])) -> relu
    h = h -> linear(out: choice("w2", [4, 8, 12, 16, 20, 24, 28, 32])) -> relu
    return h -> linear(out: choice("w3", [2, 3, 4, 5, 6, 7, 8, 9]))
    """

    /// More trials than the open-file limit: each trial's log is closed when it ends, so all succeed (before the
    /// fix, trials from about the 20th on were recorded as failed and the run still exited 0).
    @Test func aLowOpenFileLimitDoesNotFailTrials() throws {
        let tmp = try NascProcess.tempDir().path
        try Self.wideSpace.write(toFile: tmp + "/wide.nas", atomically: true, encoding: .utf8)
        let r = try shell(closeInheritedDescriptors + "ulimit -n 48 && exec \"$NASC\" run --strategy random \(tmp)/wide.nas \(tmp)/exp --benchmark synthetic:1 --max-trials 80 --concurrency 2 --no-live")
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 80 trials, 80 succeeded, 0 failed"), "\(r.stdout.suffix(400))")
    }

    /// Too few descriptors to start any trial: the starts are infrastructure errors (retried, then the run gives up
    /// with exit 1), the trials stay unfinished rather than failed, and a resume with a normal limit completes them.
    @Test func trialsThatCannotStartAreNotFailures() throws {
        let dir = try NascProcess.tempDir().path + "/exp"
        // Below nasc's own need the run is refused at once; just above it, enough to open the store, but trial
        // starts (eight at once) run out (Foundation reports some of those as EBADF).
        var limit = 14
        var r = NascProcess.Result(code: 0, stdout: "", stderr: "")
        while limit < 48 {
            try? FileManager.default.removeItem(atPath: dir)
            r = try shell(closeInheritedDescriptors + "ulimit -n \(limit) && exec \"$NASC\" run --strategy random \(mlp) \(dir) --benchmark synthetic:1 --max-trials 3 --concurrency 8 --no-live")
            if r.stderr.contains("trial starts failed") { break }
            limit += 1
        }
        #expect(r.code == 1, "limit \(limit): \(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("trial starts failed") && r.stderr.contains("--resume")
                && (r.stderr.contains("Too many open files") || r.stderr.contains("Bad file descriptor")), "\(r.stderr)")
        #expect(r.stdout.contains("0 failed"), "\(r.stdout)")
        let resumed = try NascProcess.run(["run", "--resume", dir, "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("3 trials, 3 succeeded, 0 failed"), "\(resumed.stdout)")
    }

    /// `nasc run ... | head -2`: the closed standard output stops the run as SIGTERM does (exit 141, one line naming
    /// the resume command, no trial left running), where SIGPIPE used to kill it; `--resume` completes every trial.
    @Test func aClosedStandardOutputStopsTheRunResumably() throws {
        let dir = try NascProcess.tempDir().path + "/exp"
        let r = try shell("\"$NASC\" run --strategy random \(mlp) \(dir) --benchmark synthetic:1 --max-trials 20 --no-live | head -2 >/dev/null; exit ${PIPESTATUS[0]}")
        #expect(r.code == 141, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("nasc run: standard output was closed;") && r.stderr.contains("`nasc run --resume \(dir)`")
                && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(survivors(mentioning: dir).isEmpty)
        let resumed = try NascProcess.run(["run", "--resume", dir, "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("20 trials, 20 succeeded, 0 failed"), "\(resumed.stdout)")
    }

    /// Every open-file limit from 8 to 40 gives a working run or one line and exit 1, never a signal: below what nasc
    /// needs for itself the run is refused before its store exists (before the fix, limits 16–21 died of SIGILL in
    /// Foundation's "Unable to create timer Port" at the first trial start).
    @Test func everyLowOpenFileLimitEndsCleanly() throws {
        let dir = try NascProcess.tempDir().path + "/exp"
        var refused = 0, worked = 0
        for limit in 8...40 {
            try? FileManager.default.removeItem(atPath: dir)
            let r = try shell(closeInheritedDescriptors + "ulimit -n \(limit) && exec \"$NASC\" run --strategy random \(mlp) \(dir) --benchmark synthetic:1 --max-trials 2 --concurrency 2 --max-duration 2s --no-live")
            #expect(r.code == 0 || r.code == 1, "ulimit -n \(limit): exit \(r.code): \(r.stderr)")
            if r.code != 0 {
                let lines = r.stderr.split(separator: "\n")
                #expect(lines.count == 1, "ulimit -n \(limit): \(r.stderr)")
            }
            if r.stderr.contains("the open-file limit (ulimit -n) is \(limit)") { refused += 1 }
            if r.code == 0 && r.stdout.contains("2 succeeded") { worked += 1 }
        }
        // The sweep crosses both ends: refused at the bottom, working at the top.
        #expect(refused >= 10 && worked >= 5, "refused \(refused), worked \(worked)")
    }

    /// A trial that stops answering fails by the stall timeout; one that runs too long by the trial timeout; one
    /// that reports its result and does not exit keeps its result.
    /// A budget no architecture fits: every trial is refused, and the run ends with one line and exit 1.
    @Test func aRunWithoutASuccessExitsOne() throws {
        let dir = try NascProcess.tempDir().path + "/exp"
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "3",
                                     "--max-params", "1", "--no-live"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stdout.contains("3 trials, 0 succeeded, 3 failed") && r.stdout.contains("no trial succeeded"), "\(r.stdout)")
        #expect(r.stderr == "\(dir): error: no trial succeeded (3 failed); `nasc experiment list \(dir)` shows why\n", "\(r.stderr)")
        #expect(listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout).allSatisfy { $0.error.hasPrefix("outside the budget") })
    }

    @Test func hungTrialsAreTimedOut() throws {
        let stalled = try NascProcess.tempDir().path + "/exp"
        let start = Date()
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, stalled, "--benchmark", "synthetic:1", "--max-trials", "4",
                                     "--concurrency", "2", "--epoch-ms", "50", "--hang-every", "2", "--stall-timeout", "2s", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 30)
        let rows = listedTrials(try NascProcess.run(["experiment", "list", stalled]).stdout)
        #expect(rows.filter { $0.status == "failed" }.map(\.id) == [2, 4], "\(rows)")
        #expect(rows.filter { $0.status == "failed" }.allSatisfy { $0.error.contains("stalled: no message for 2s (--stall-timeout)") }, "\(rows)")

        let slow = try NascProcess.tempDir().path + "/exp"
        let t2 = try NascProcess.run(["run", "--strategy", "random", mlp, slow, "--benchmark", "synthetic:1", "--max-trials", "2",
                                      "--epochs", "20", "--epoch-ms", "300", "--trial-timeout", "1.5s", "--no-live"])
        // Every trial failed: the results are kept, and the run says so in one line and exits 1.
        #expect(t2.code == 1, "\(t2.stderr)")
        #expect(t2.stdout.contains("2 trials, 0 succeeded, 2 failed"), "\(t2.stdout)")
        #expect(t2.stderr == "\(slow): error: no trial succeeded (2 failed); `nasc experiment list \(slow)` shows why\n", "\(t2.stderr)")
        let rows2 = listedTrials(try NascProcess.run(["experiment", "list", slow]).stdout)
        #expect(rows2.allSatisfy { $0.error.contains("timed out: still running after 1.5s (--trial-timeout)") }, "\(rows2)")

        let lingering = try NascProcess.tempDir().path + "/exp"
        let l = try NascProcess.run(["run", "--strategy", "random", mlp, lingering, "--benchmark", "synthetic:1", "--max-trials", "2",
                                     "--linger-every", "1", "--no-live"])
        #expect(l.code == 0, "\(l.stderr)")
        #expect(l.stdout.contains("2 trials, 2 succeeded, 0 failed"), "\(l.stdout)")
        #expect(survivors(mentioning: lingering, within: 3).isEmpty)
    }

    /// kill -9 at random moments while the store is being created: the directory is then either empty of a store
    /// (a fresh run starts) or holds a complete one (`--resume` continues it), never one both refuse.
    @Test func killDashNineDuringCreationLeavesAUsableDirectory() throws {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<10 {
            let tmp = try NascProcess.tempDir().path
            let dir = tmp + "/exp"
            let p = try launch(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "2", "--no-live"],
                               logs: tmp)
            Thread.sleep(forTimeInterval: Double(round) * 0.04 + Double.random(in: 0...0.04, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            _ = survivors(mentioning: dir)
            let hasStore = FileManager.default.fileExists(atPath: dir + "/experiment.sqlite")
            let r = hasStore ? try NascProcess.run(["run", "--resume", dir, "--no-live"])
                             : try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "2", "--no-live"])
            #expect(r.code == 0, "round \(round), store \(hasStore): \(r.stderr)")
            #expect(r.stdout.contains("2 trials, 2 succeeded"), "\(r.stdout)")
        }
    }

    /// Relative paths (`--data idx:DIR`, the bundled digits) are stored absolute: a resume from another working
    /// directory trains on the same data, and a data set that moved is one located error.
    @Test func resumeFromAnotherDirectory() throws {
        let tmp = try NascProcess.tempDir()
        let dir = tmp.path + "/exp"
        let space = NascProcess.root.appendingPathComponent("examples/digits.nas").path
        for data in ["digits", "idx:examples/data/digits"] {
            try? FileManager.default.removeItem(atPath: dir)
            let r = try NascProcess.run(["run", "--strategy", "random", space, dir, "--data", data, "--train-epochs", "1",
                                         "--max-trials", "1", "--no-live"])
            #expect(r.code == 0, "\(r.stderr)")
            let resumed = try NascProcess.run(["run", "--resume", dir, "--max-trials", "2", "--no-live"], cwd: tmp)
            #expect(resumed.code == 0, "\(resumed.stderr)")
            #expect(resumed.stdout.contains("2 trials, 2 succeeded, 0 failed"), "\(resumed.stdout)")
        }
        // A data directory that is gone.
        let copy = tmp.path + "/digits"
        try FileManager.default.copyItem(atPath: NascProcess.root.appendingPathComponent("examples/data/digits").path, toPath: copy)
        try? FileManager.default.removeItem(atPath: dir)
        let r = try NascProcess.run(["run", "--strategy", "random", space, dir, "--data", "idx:digits", "--train-epochs", "1",
                                     "--max-trials", "1", "--no-live"], cwd: tmp)
        #expect(r.code == 0, "\(r.stderr)")
        try FileManager.default.removeItem(atPath: copy)
        let gone = try NascProcess.run(["run", "--resume", dir, "--max-trials", "2", "--no-live"])
        #expect(gone.code == 1)
        #expect(gone.stderr == "\(copy): error: the experiment's data set is no longer there (it was started with --data idx:\(copy))\n", "\(gone.stderr)")
    }

    /// Two runs started at the same instant on one new directory: one works, the other gets the usual message.
    @Test func simultaneousRunsOnANewDirectory() throws {
        for round in 0..<6 {
            let tmp = try NascProcess.tempDir().path
            let dir = tmp + "/exp"
            let args = ["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "3",
                        "--epoch-ms", "100", "--no-live"]
            let a = try launch(args, logs: tmp, name: "a"), b = try launch(args, logs: tmp, name: "b")
            a.waitUntilExit(); b.waitUntilExit()
            let codes = [a.terminationStatus, b.terminationStatus].sorted()
            let errors = contents(tmp + "/a.err") + contents(tmp + "/b.err")
            #expect(codes == [0, 1], "round \(round): \(codes) \(errors)")
            #expect(errors == "\(dir): error: another `nasc run` is working on this experiment\n", "round \(round): \(errors)")
        }
    }

    /// `nasc experiment list|show|top-k|export` read a finished experiment the user cannot write.
    @Test func readOnlyFinishedExperiment() throws {
        let tmp = try NascProcess.tempDir()
        let dir = tmp.path + "/exp"
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--benchmark", "synthetic:1", "--max-trials", "3", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        // As root, permissions do not stop writes: run the readers as nobody.
        let asReader = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        _ = try shell("chmod -R a-w '\(dir)' && chmod a+rx '\(tmp.path)'")
        defer { _ = try? shell("chmod -R u+w '\(dir)'") }
        let out = tmp.path + "/out"
        _ = try shell("mkdir -p '\(out)' && chmod 777 '\(out)'")
        for verb in [["list", dir], ["show", dir, "2"], ["top-k", dir, "-k", "2"], ["export", dir, "-o", out]] {
            let quoted = verb.map { "'\($0)'" }.joined(separator: " ")
            let e = try shell("\(asReader)\"$NASC\" experiment \(quoted)")
            #expect(e.code == 0, "\(verb[0]): \(e.stderr)")
            #expect(!e.stdout.isEmpty)
        }
        let list = try shell("\(asReader)\"$NASC\" experiment list '\(dir)'")
        #expect(listedTrials(list.stdout).count == 3)
        // Nothing was written into the experiment.
        #expect(!FileManager.default.fileExists(atPath: dir + "/experiment.sqlite-wal"))
    }

    /// A test split whose samples have another shape than the training split is an error naming the split.
    @Test func aTestSplitOfAnotherShapeIsAnError() throws {
        let data = try NascProcess.tempDir().path
        func idx(_ name: String, magic: [UInt8], dims: [Int], body: [UInt8]) throws {
            var bytes = magic
            for d in dims { bytes += [UInt8(d >> 24 & 0xff), UInt8(d >> 16 & 0xff), UInt8(d >> 8 & 0xff), UInt8(d & 0xff)] }
            try Data(bytes + body).write(to: URL(fileURLWithPath: data + "/" + name))
        }
        let n = 40
        try idx("train-images-idx3-ubyte", magic: [0, 0, 8, 3], dims: [n, 8, 8], body: (0..<(n * 64)).map { UInt8($0 % 251) })
        try idx("train-labels-idx1-ubyte", magic: [0, 0, 8, 1], dims: [n], body: (0..<n).map { UInt8($0 % 10) })
        try idx("t10k-images-idx3-ubyte", magic: [0, 0, 8, 3], dims: [10, 4, 16], body: (0..<640).map { UInt8($0 % 251) })
        try idx("t10k-labels-idx1-ubyte", magic: [0, 0, 8, 1], dims: [10], body: (0..<10).map { UInt8($0) })
        let space = NascProcess.root.appendingPathComponent("examples/digits.nas").path
        let dir = try NascProcess.tempDir().path + "/exp"
        let r = try NascProcess.run(["run", "--strategy", "random", space, dir, "--data", "idx:\(data)", "--max-trials", "1", "--no-live"])
        #expect(r.code == 1)
        #expect(r.stderr == "--data: error: data set 'idx:\(data)': the test split (\(data)/t10k-images-idx3-ubyte) has samples of shape [1,4,16], "
                + "the training split (\(data)/train-images-idx3-ubyte) [1,8,8]\n", "\(r.stderr)")
    }
}
