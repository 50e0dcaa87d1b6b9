// SampledTrainingTests: SPOS's strictly fair paths give every candidate exactly one path per batch; ENAS trains as many
// controller samples per batch as the largest choice has candidates unless configured.
import Testing
import NASCIR
@testable import NASCStrategies

@Suite struct SampledTrainingTests {
    @Test func strictlyFairPathsCoverEveryCandidateOncePerBatch() throws {
        let space = try OneShotFixtures.tinySpace()
        let spos = try SPOSSearch(space: space, config: SPOSConfig())
        #expect(SPOSConfig().strictFairness)
        let counts = spos.executor.plan.selectors.map(\.candidates.count)
        #expect(counts == [2, 2])
        var orders = Set<[[Int]]>()
        for _ in 0..<20 {
            let paths = spos.fairPaths()
            #expect(paths.count == counts.max())
            for (i, n) in counts.enumerated() { #expect(Set(paths.map { $0[i] }) == Set(0..<n)) }
            orders.insert(paths)
        }
        #expect(orders.count > 1, "the permutations are random")
    }

    @Test func enasTrainsOnePathPerCandidateOfTheLargestChoiceByDefault() throws {
        let space = try OneShotFixtures.tinySpace()
        #expect(try ENASSearch(space: space).pathsPerBatch == 2)
        var c = ENASConfig()
        c.pathsPerBatch = 3
        #expect(try ENASSearch(space: space, config: c).pathsPerBatch == 3)
    }
}
