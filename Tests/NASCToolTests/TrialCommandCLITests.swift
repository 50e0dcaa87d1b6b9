// TrialCommandCLITests: `nasc run --trial-command` and `--strategy external` as processes — a Python trial using
// examples/trial/nasc_report.py, every bad trial command (one located line, exit 1, nothing lost), kill -9 and resume,
// and the Optuna example on the synthetic benchmark.
import Foundation
import Testing

/// A Python trial on examples/mlp.nas: prints noise (which nasc_report sends to the log), reports two epochs and a
/// final metric computed from the architecture, after `SLEEP` seconds. With `HOLD_DIR` set, only the first two trials
/// to start run through; every later one waits until `HOLD_DIR/release` exists.
let pythonTrial = """
import os, sys, time
sys.path.insert(0, os.environ["REPORTER_DIR"])
import nasc_report
print("hello from the trial")            # goes to the trial's log, not to nasc
arch = nasc_report.get_architecture()
hold = os.environ.get("HOLD_DIR")
if hold:
    for slot in ("slot1", "slot2"):
        try:
            os.mkdir(os.path.join(hold, slot))
            break
        except FileExistsError:
            pass
    else:
        while not os.path.exists(os.path.join(hold, "release")):
            time.sleep(0.05)
time.sleep(float(os.environ.get("SLEEP", "0")))
score = arch["width"] / 1000 + arch["depth"] / 100 + {"relu": 0.003, "tanh": 0.002, "gelu": 0.001}[arch["activation"]]
nasc_report.report_intermediate_result(score / 2)
nasc_report.report_intermediate_result(score)
nasc_report.report_final_result(score)
"""

@Suite(.serialized) struct TrialCommandCLITests {
    let mlp = NascProcess.root.appendingPathComponent("examples/mlp.nas").path
    let reporterDir = NascProcess.root.appendingPathComponent("examples/trial").path

    func writeTrial(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("trial.py").path
        try pythonTrial.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func expectOneLine(_ r: NascProcess.Result, _ prefix: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(r.code == 1, "exit \(r.code): \(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix(prefix), "stderr: \(r.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aPythonTrialCommandRunsTheSearch() throws {
        let tmp = try NascProcess.tempDir()
        let trial = try writeTrial(tmp)
        let dir = tmp.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", "--seed", "4", mlp, dir, "--trial-command", "REPORTER_DIR=\(reporterDir) python3 \(trial)",
                                     "--max-trials", "4", "--concurrency", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 4 trials, 4 succeeded, 0 failed"))
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(rows.count == 4 && rows.allSatisfy { $0.status == "succeeded" })
        // The metric is the architecture's score: the trial read its NASC_ARCH_FILE.
        for row in rows {
            let arch = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/trials/\(row.id).json"))) as! [String: Any]
            let score = Double(arch["width"] as! Int) / 1000 + Double(arch["depth"] as! Int) / 100
                + ["relu": 0.003, "tanh": 0.002, "gelu": 0.001][arch["activation"] as! String]!
            #expect(abs(Double(row.metric)! - score) < 1e-3, "trial \(row.id): \(row.metric) vs \(score)")
            let log = try String(contentsOfFile: "\(dir)/trials/\(row.id).log", encoding: .utf8)
            #expect(log.contains("hello from the trial"))
        }
        let show = try NascProcess.run(["experiment", "show", dir, "1"])
        #expect(show.stdout.contains("intermediate: epoch 1 ") && show.stdout.contains("epoch 2 "))
        // The reporter's overhead line: the Python start-up time was measured.
        #expect(show.stdout.contains("overhead: process start "))
    }

    @Test func aMissingOrNonExecutableCommandIsOneLineAndNoStore() throws {
        let tmp = try NascProcess.tempDir()
        let notExec = tmp.appendingPathComponent("train.sh").path
        try "echo hi\n".write(toFile: notExec, atomically: true, encoding: .utf8)
        for (command, message) in [("no-such-trainer --epochs 3", "--trial-command: error: 'no-such-trainer': command not found on PATH"),
                                   (notExec, "--trial-command: error: '\(notExec)' is not an executable file")] {
            let dir = tmp.appendingPathComponent("exp-\(UUID().uuidString)").path
            let r = try NascProcess.run(["run", mlp, dir, "--trial-command", command, "--max-trials", "2", "--no-live"])
            expectOneLine(r, message)
            #expect(!FileManager.default.fileExists(atPath: dir + "/experiment.sqlite"))
        }
    }

    @Test(arguments: [
        ("echo 'epoch 1: loss 0.3'", "bad output: not a JSON trial message: epoch 1: loss 0.3"),
        ("echo '{\"type\":\"intermediate\",\"epoch\":1,\"metric\":0.5}'", "exited without reporting a final metric"),
        ("python3 does-not-exist.py", "exited with status 2 without a result: "),
    ])
    func aBrokenCommandStopsWithOneLineAndKeepsEveryTrial(command: String, reason: String) throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", mlp, dir, "--trial-command", command, "--max-trials", "20",
                                     "--concurrency", "2", "--no-live"])
        expectOneLine(r, "--trial-command: stopped after 3 failed trials and no success; trial 1: \(reason)")
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(rows.count >= 3 && rows.count < 20)
        #expect(rows.allSatisfy { $0.status == "failed" || $0.status == "queued" })
        #expect(rows.filter { $0.status == "failed" }.allSatisfy { $0.error.hasPrefix(String(reason.prefix(20))) })
    }

    @Test func aHangingCommandEndsAtMaxDurationWithOneLine() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", mlp, dir, "--trial-command", "sleep 600", "--max-duration", "2s", "--concurrency", "2", "--no-live"])
        expectOneLine(r, "--trial-command: no trial reported a final metric before --max-duration ended the run (does the command hang?)")
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(rows.count == 2 && rows.allSatisfy { $0.status == "queued" })
    }

    @Test func killDashNineThenResumeWithATrialCommand() throws {
        let tmp = try NascProcess.tempDir()
        let trial = try writeTrial(tmp)
        let dir = tmp.appendingPathComponent("exp").path
        let log = tmp.appendingPathComponent("run.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        // Trials 3 and later wait for `release`, so the kill lands with two trials done and two running however slow
        // the machine is.
        let hold = tmp.appendingPathComponent("hold").path
        try FileManager.default.createDirectory(atPath: hold, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: NascProcess.binary)
        p.arguments = ["run", "--strategy", "random", mlp, dir, "--trial-command", "HOLD_DIR=\(hold) REPORTER_DIR=\(reporterDir) python3 \(trial)",
                       "--max-trials", "8", "--concurrency", "2", "--no-live"]
        p.currentDirectoryURL = tmp
        p.standardOutput = FileHandle(forWritingAtPath: log)
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let rows = listedTrials((try? NascProcess.run(["experiment", "list", dir]))?.stdout ?? "")
            if rows.filter({ $0.status == "succeeded" }).count == 2 && rows.filter({ $0.status == "running" }).count == 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let before = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        let finished = before.filter { $0.status == "succeeded" }
        #expect(finished.count == 2 && before.count < 8 && before.filter { $0.status == "running" }.count == 2)

        _ = FileManager.default.createFile(atPath: hold + "/release", contents: nil)
        let resumed = try NascProcess.run(["run", "--resume", dir, "--no-live"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("finished (max-trials): 8 trials, 8 succeeded, 0 failed"))
        let after = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(after.map(\.id) == Array(1...8) && after.allSatisfy { $0.status == "succeeded" })
        for t in finished { #expect(after.first { $0.id == t.id } == t) }
        for t in before where t.status == "running" { #expect(after[t.id - 1].tries == 2) }
        // No trial process of the killed run survived the resume.
        let marker = Array("NASC_ARCH_FILE=\(URL(fileURLWithPath: dir).standardizedFileURL.path)/trials/".utf8)
        let survivors = (try FileManager.default.contentsOfDirectory(atPath: "/proc")).compactMap(Int32.init).filter { pid in
            guard let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return [UInt8](env).split(separator: 0).contains { $0.starts(with: marker) } && !isZombieProcess(pid)
        }
        #expect(survivors.isEmpty, "trial processes still running: \(survivors)")
    }

    @Test func theOptunaStrategySearchesTheSyntheticBenchmark() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let optuna = NascProcess.root.appendingPathComponent("examples/strategies/optuna_strategy.py").path
        let r = try NascProcess.run(["run", mlp, dir, "--strategy", "external", "--strategy-command", "python3 \(optuna) --n-startup-trials 5",
                                     "--benchmark", "synthetic:1", "--max-trials", "12", "--concurrency", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("finished (max-trials): 12 trials, 12 succeeded, 0 failed"))
        #expect(FileManager.default.fileExists(atPath: dir + "/strategy.log"))
    }

    @Test(arguments: [("unknown", "architecture has unknown label 'colour'"), ("outside", "width")])
    func aStrategyProposingOutsideTheSpaceIsOneLineAndNothingIsLost(mode: String, detail: String) throws {
        // A strategy that proposes two good architectures, then (on its third ask) a bad one.
        let tmp = try NascProcess.tempDir()
        let script = tmp.appendingPathComponent("strategy.py").path
        try """
        import json, sys
        asks = 0
        for line in sys.stdin:
            m = json.loads(line); t = m["type"]
            if t == "ask":
                asks += 1
                a = {"activation": "relu", "depth": 1, "width": 64 * asks}
                if asks == 3:
                    if "\(mode)" == "unknown": a["colour"] = "red"
                    else: a["width"] = 100
                out = {"type": "propose", "architectures": [a]}
            elif t == "save": out = {"type": "state", "state": str(asks)}
            elif t == "restore": asks = int(m["state"]); out = {"type": "ok"}
            else: out = {"type": "ready" if t == "init" else "ok"}
            print(json.dumps(out), flush=True)
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let dir = tmp.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", mlp, dir, "--strategy", "external", "--strategy-command", "python3 \(script)",
                                     "--benchmark", "synthetic:1", "--max-trials", "5", "--no-live"])
        expectOneLine(r, "--strategy-command: error: the strategy proposed an architecture outside the space (architecture 1 of 1): ")
        #expect(r.stderr.contains(detail), "\(r.stderr)")
        let rows = listedTrials(try NascProcess.run(["experiment", "list", dir]).stdout)
        #expect(rows.count == 2 && rows.allSatisfy { $0.status == "succeeded" })
    }

    @Test func strategyFlagsAreChecked() throws {
        let dir = try NascProcess.tempDir().appendingPathComponent("exp").path
        let a = try NascProcess.run(["run", mlp, dir, "--strategy", "external", "--benchmark", "synthetic:1"])
        #expect(a.code == 2 && a.stderr.contains("--strategy external needs --strategy-command CMD"), "\(a.code) \(a.stderr)")
        let b = try NascProcess.run(["run", mlp, dir, "--strategy-command", "python3 x.py", "--benchmark", "synthetic:1"])
        #expect(b.code == 2 && b.stderr.contains("--strategy-command needs --strategy external"))
        let c = try NascProcess.run(["run", mlp, dir, "--engine", "slurm", "--benchmark", "synthetic:1"])
        #expect(c.code == 2 && c.stderr.contains("--engine must be local or ray, got 'slurm'"))
        let d = try NascProcess.run(["run", mlp, dir, "--trial-command", "python3 train.py", "--data", "digits"])
        #expect(d.code == 2 && d.stderr.contains("--trial-command runs your own evaluation: --data and the other evaluator flags do not apply"))
        let e = try NascProcess.run(["run", mlp, dir, "--engine", "ray", "--ray-address", "127.0.0.1:8265", "--benchmark", "synthetic:1"])
        #expect(e.code == 1 && e.stderr.hasPrefix("--ray-address: error: expected the Ray dashboard address as http://HOST:PORT"), "\(e.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}

func isZombieProcess(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
}
