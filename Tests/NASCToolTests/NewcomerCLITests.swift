// NewcomerCLITests: the CLI as a newcomer meets it — --version, a mistyped flag on `nasc run` named with a
// suggestion, one name for epochs, test aids hidden from --help, inspect leading with the summary, and DOT drawing
// every input-choice candidate.
import Foundation
import Testing

@Suite(.serialized) struct NewcomerCLITests {
    @Test func versionPrintsAndExitsZero() throws {
        let r = try NascProcess.run(["--version"])
        #expect(r.code == 0 && r.stdout.hasPrefix("nasc 0."), "\(r.stdout) \(r.stderr)")
    }

    @Test func mistypedRunFlagIsNamedWithASuggestion() throws {
        let r = try NascProcess.run(["run", "--max-trails", "10", "examples/mlp.nas", "/tmp/nasc-never-created", "--benchmark", "synthetic:1"])
        #expect(r.code == 2)
        #expect(r.stderr.hasPrefix("Error: Unknown option '--max-trails'. Did you mean '--max-trials'?"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/nasc-never-created"))
    }

    @Test func epochsWithDataTrainsThatManyEpochs() throws {
        let (dir, space) = try OneShotCLITests().setup()
        let out = dir.appendingPathComponent("exp").path
        let r = try NascProcess.run(["run", "--strategy", "random", space, "-o", out, "--data", "synthetic?count=64&test=16",
                                     "--epochs", "2", "--max-trials", "2", "--no-live"])
        #expect(r.code == 0, "\(r.stderr)")
        let list = try NascProcess.run(["experiment", "list", out, "--json"])
        let trials = try #require((try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])?["trials"] as? [[String: Any]])
        #expect(trials.count == 2 && trials.allSatisfy { $0["epochs"] as? Int == 2 }, "\(trials)")
        let both = try NascProcess.run(["run", "--strategy", "random", space, "-o", out + "2", "--data", "synthetic?count=64&test=16",
                                        "--epochs", "2", "--train-epochs", "3"])
        #expect(both.code == 2 && both.stderr.hasPrefix("Error: --epochs 2 and --train-epochs 3 disagree: give one of them"), "\(both.stderr)")
    }

    @Test func faultInjectionAidsAreHiddenFromHelp() throws {
        let help = try NascProcess.run(["run", "--help"])
        #expect(help.code == 0 && help.stdout.contains("--max-trials"))
        for aid in ["--crash-every", "--nan-every", "--garbage-every", "--hang-every", "--fail-when"] { #expect(!help.stdout.contains(aid), "\(aid)") }
    }

    @Test func inspectLeadsWithTheSummary() throws {
        let r = try NascProcess.run(["inspect", "examples/darts.nas"])
        #expect(r.code == 0)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count > 40)
        #expect(lines[1].hasPrefix("decisions: 32") && lines[2].hasPrefix("space size: ") && lines[3].hasPrefix("parameters: ")
                && lines[4].hasPrefix("FLOPs per sample: "), "\(lines.prefix(6))")
    }

    @Test func dotDrawsAnEdgeFromEveryInputChoiceCandidate() throws {
        let (_, space) = try OneShotCLITests().setup()
        let r = try NascProcess.run(["dump", space, "--format", "dot"])
        #expect(r.code == 0, "\(r.stderr)")
        // %k = input_choice(%r, %s): candidate 0 is fed by %r, candidate 1 by %s.
        #expect(r.stdout.contains("\"main/r\" -> \"main/k/0\";") && r.stdout.contains("\"main/s\" -> \"main/k/1\";"), "\(r.stdout)")
    }
}
