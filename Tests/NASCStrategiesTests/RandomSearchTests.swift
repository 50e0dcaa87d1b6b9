// RandomSearchTests: random search never repeats, covers a small space exactly, and is reproducible.
import NASCIR
import NASCStrategies
import Testing

@Suite struct RandomSearchTests {
    @Test func coversSmallSpaceExactlyOnce() throws {
        var s = try RandomSearch(space: mixedSpace, seed: 3)
        var seen: [Architecture] = []
        while !s.isExhausted {
            let batch = try s.ask(count: 5)
            #expect(!batch.isEmpty)
            for a in batch {
                try mixedSpace.validate(a)
                try s.tell(a, outcome: .succeeded(metric: 0))
            }
            seen += batch
        }
        #expect(seen.count == 72)
        #expect(Set(seen) == Set(mixedSpace.allArchitectures()))
        #expect(try s.ask(count: 3).isEmpty)
    }

    @Test func askingMoreThanTheSpaceReturnsTheWholeSpace() throws {
        var s = try RandomSearch(space: mixedSpace, seed: 11)
        let all = try s.ask(count: 500)
        #expect(all.count == 72)
        #expect(Set(all).count == 72)
        #expect(s.isExhausted)
    }

    @Test func neverRepeatsInALargeSpace() throws {
        var s = try RandomSearch(space: uniformSpace(decisions: 3, values: 20), seed: 5)
        let proposals = try s.ask(count: 2000)  // a quarter of the 8000 architectures: many duplicate draws
        #expect(proposals.count == 2000)
        #expect(Set(proposals).count == 2000)
    }

    @Test func withoutDedupItRepeats() throws {
        var s = try RandomSearch(space: mixedSpace, seed: 5, config: .init(dedup: false))
        let proposals = try s.ask(count: 200)
        #expect(proposals.count == 200)
        #expect(Set(proposals).count < 200)
        #expect(!s.isExhausted)
    }

    @Test func isUniformOverTheSpace() throws {
        // 4 architectures, 4000 draws without dedup: every architecture close to 1000 times.
        let space = uniformSpace(decisions: 2, values: 2)
        var s = try RandomSearch(space: space, seed: 9, config: .init(dedup: false))
        var counts: [Architecture: Int] = [:]
        for a in try s.ask(count: 4000) { counts[a, default: 0] += 1 }
        #expect(counts.count == 4)
        #expect(counts.values.allSatisfy { (900...1100).contains($0) })
    }

    @Test func sameSeedSameProposalsDifferentSeedDifferent() throws {
        let space = uniformSpace(decisions: 4, values: 6)
        var a = try RandomSearch(space: space, seed: 42)
        var b = try RandomSearch(space: space, seed: 42)
        var c = try RandomSearch(space: space, seed: 43)
        let pa = try a.ask(count: 30), pb = try b.ask(count: 30), pc = try c.ask(count: 30)
        #expect(pa == pb)
        #expect(pa != pc)
    }

    @Test func tellRejectsUnknownAndRepeatedOutcomes() throws {
        var s = try RandomSearch(space: mixedSpace, seed: 1)
        let a = try #require(try s.ask(count: 1).first)
        try s.tell(a, outcome: .failed(reason: "crash"))
        #expect(diagnosticText { try s.tell(a, outcome: .succeeded(metric: 1)) }.contains("has not proposed"))
        var bad = a
        bad["op"] = .candidate("zzz")
        #expect(diagnosticText { try s.tell(bad, outcome: .succeeded(metric: 1)) }.contains("'zzz' is not a candidate"))
        #expect(s.history.count == 1)
    }
}
