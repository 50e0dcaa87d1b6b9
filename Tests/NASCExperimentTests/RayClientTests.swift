// RayClientTests: the parts of the Ray engine that need no cluster — address checks, log-line selection, quoting,
// and the one-line error for an address where nothing answers (the cluster tests are in scripts/ray-test.sh).
import Foundation
import NASCIR
import Testing
@testable import NASCExperiment

@Suite struct RayClientTests {
    @Test(arguments: ["127.0.0.1:8265", "ftp://h:1", "http://", "http://h:8265/api", "not a url"])
    func aBadAddressIsRefusedAtTheFlag(address: String) {
        let e = #expect(throws: DiagnosticError.self) { _ = try RayJobsClient(address: address) }
        #expect(e?.description.hasPrefix("--ray-address: error: expected the Ray dashboard address as http://HOST:PORT") == true)
    }

    @Test func anAddressWhereNothingAnswersIsOneLine() throws {
        // Port 9 (discard) is closed on loopback: the connection is refused at once.
        var client = try RayJobsClient(address: "http://127.0.0.1:9")
        client.timeout = 5
        let e = #expect(throws: DiagnosticError.self) { _ = try client.version() }
        let text = e?.description ?? ""
        #expect(text.hasPrefix("--ray-address: error: cannot reach the Ray Jobs API at http://127.0.0.1:9"), "\(text)")
        #expect(!text.contains("\n"))
    }

    @Test func onlyJSONObjectsWithATypeAreProtocolLines() {
        #expect(RayJob.isMessage(#"{"type":"final","metric":0.9}"#))
        #expect(RayJob.isMessage(#"  {"type":"bogus"}  "#))  // malformed messages still go to the parser (bad output)
        #expect(!RayJob.isMessage(#"{"metric":0.9}"#))
        #expect(!RayJob.isMessage("2026-12-07 06:21:21,624\tINFO job_manager.py:581 -- Runtime env is setting up."))
        #expect(!RayJob.isMessage("Running entrypoint for job nasc-1: nasc trial ..."))
        #expect(!RayJob.isMessage("{not json}"))
    }

    @Test func entrypointWordsAreQuotedForTheShell() {
        #expect(RayTrialLauncher.quote("/opt/nasc/bin/nasc") == "/opt/nasc/bin/nasc")
        #expect(RayTrialLauncher.quote("synthetic:1") == "synthetic:1")
        #expect(RayTrialLauncher.quote("/runs/my exp") == "'/runs/my exp'")
        #expect(RayTrialLauncher.quote("it's") == #"'it'\''s'"#)
        #expect(RayTrialLauncher.quote("") == "''")
    }
}
