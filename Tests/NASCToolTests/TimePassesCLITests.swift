// TimePassesCLITests: `nasc compile --time-passes` prints a per-stage timing table for pass pipelines and supernet plans.
import Foundation
import Testing

@Suite struct TimePassesCLITests {
    @Test func supernetCompileReportsEveryStage() throws {
        let dir = try NascProcess.tempDir()
        let r = try NascProcess.run(["compile", "examples/nb201.nas", "--supernet", "darts", "--time-passes",
                                     "-o", dir.appendingPathComponent("p.pb").path])
        #expect(r.code == 0)
        for stage in ["parse", "supernet", "shape-infer", "autodiff", "lower", "memory-plan", "write", "Total Execution Time"] {
            #expect(r.stderr.contains(stage), "missing \(stage) in \(r.stderr)")
        }
    }

    @Test func passPipelineReportsPassesAndVerifier() throws {
        let dir = try NascProcess.tempDir()
        let src = NascProcess.root.appendingPathComponent("examples/ir/interop.nir").path
        let r = try NascProcess.run(["compile", src, "--passes", "canonicalize,dce", "--time-passes",
                                     "-o", dir.appendingPathComponent("o.pb").path])
        #expect(r.code == 0)
        for stage in ["canonicalize", "dce", "verify", "Total"] { #expect(r.stderr.contains(stage)) }
        let quiet = try NascProcess.run(["compile", src, "-o", dir.appendingPathComponent("q.pb").path])
        #expect(quiet.code == 0 && !quiet.stderr.contains("Total Execution Time"))
    }
}
