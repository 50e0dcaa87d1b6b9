// Tests for space size, mixed-radix enumeration, indexing and seeded random sampling.
import BigInt
import Foundation
import Testing
@testable import NASCIR

@Suite struct SpaceSizeTests {
    typealias F = SpaceFixtures

    @Test func nasBench201HasExactly15625Architectures() throws {
        let s = try SearchSpace(F.nasBench201())
        #expect(s.decisions.count == 6)
        #expect(s.size == 15_625)
        #expect(abs(s.log10Size - log10(15_625.0)) < 1e-12)
        var seen = Set<Architecture>()
        var count = 0
        for a in s.allArchitectures() {
            count += 1
            seen.insert(a)
        }
        #expect(count == 15_625)
        #expect(seen.count == 15_625)
    }

    @Test func enumerationIsMixedRadixWithTheLastDecisionFastest() throws {
        let s = try SearchSpace(F.nasBench201())
        let first = Array(s.allArchitectures().prefix(2))
        #expect(first[0] == Architecture(Dictionary(uniqueKeysWithValues: s.labels.map { ($0, DecisionValue.candidate("none")) })))
        #expect(s.labels.last == "3_2")
        #expect(first[1]["3_2"] == .candidate("skip_connect"))
        #expect(first[1]["1_0"] == .candidate("none"))
        // Index 5^5 flips the first (slowest) decision.
        let a = try s.architecture(atIndex: BigInt(3125))
        #expect(a["1_0"] == .candidate("skip_connect"))
        #expect(a["3_2"] == .candidate("none"))
        for (i, arch) in s.allArchitectures().enumerated() where i % 97 == 0 {
            #expect(try s.architecture(atIndex: BigInt(i)) == arch)
            #expect(s.index(of: arch) == BigInt(i))
        }
    }

    @Test func dartsCellCountsAreExact() throws {
        let s = try SearchSpace(F.darts())
        // One cell: nodes 2...5 each pick 2 x (one of i inputs, one of 8 ops): prod (8i)^2 = 14400 * 8^8.
        let perCell = BigInt(14_400) * BigInt(8).power(8)
        #expect(perCell == BigInt(241_591_910_400))
        #expect(s.size == perCell * perCell)
        #expect(s.size.description == "58366651170721628160000")
        #expect(abs(s.log10Size - 2 * log10(241_591_910_400.0)) < 1e-9)
        // Indexing works far beyond Int.
        let last = try s.architecture(atIndex: s.size - 1)
        #expect(last["reduce/op_5_1"] == .candidate("dil_conv_5x5"))
        #expect(last["reduce/input_5_1"] == .inputs([4]))
        #expect(s.index(of: last) == s.size - 1)
    }

    @Test func inputChoiceSizes() throws {
        #expect(try SearchSpace(F.inputChoice(n: 5, nChosen: 2)).size == 10)
        #expect(try SearchSpace(F.inputChoice(n: 5, nChosen: nil)).size == 32)
        #expect(try SearchSpace(F.inputChoice(n: 70, nChosen: nil)).size == BigInt(1) << 70)
        #expect(try SearchSpace(F.inputChoice(n: 60, nChosen: 30)).size.description == "118264581564861424")
        let k = try SearchSpace(F.inputChoice(n: 4, nChosen: 2))
        #expect(k.allArchitectures().map { $0["pick"]! } == [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]].map { .inputs($0) })
        let any = try SearchSpace(F.inputChoice(n: 3, nChosen: nil))
        #expect(any.allArchitectures().map { $0["pick"]! } ==
                [[], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]].map { .inputs($0) })
        for (i, a) in any.allArchitectures().enumerated() { #expect(any.index(of: a) == BigInt(i)) }
    }

    @Test func hugeSpacesKeepAFiniteLog() throws {
        let s = SearchSpace(decisions: (0..<400).map { Decision(label: "l\($0)", kind: .layerChoice(candidates: (0..<10).map(String.init))) })
        #expect(s.size == BigInt(10).power(400))
        #expect(abs(s.log10Size - 400) < 1e-9)
        #expect(abs(SearchSpace.log10(of: BigInt(10).power(400)) - 400) < 1e-9)
    }

    @Test func indexOutOfRangeIsAnError() throws {
        let s = try SearchSpace(F.nasBench201())
        #expect(throws: DiagnosticError.self) { try s.architecture(atIndex: 15_625) }
        let e = try #require(throws: DiagnosticError.self) { try s.architecture(atIndex: -1) }
        #expect(e.description == "error: architecture index -1 is out of range: the space has 15625 architectures")
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var h = SplitMix64(seed: 1234567)
        #expect(h.next() == 6_457_827_717_110_365_317)
    }

    @Test func seededSamplingIsReproducibleAndValid() throws {
        let s = try SearchSpace(F.darts())
        var g1 = SplitMix64(seed: 42), g2 = SplitMix64(seed: 42)
        let a = s.randomArchitecture(using: &g1), b = s.randomArchitecture(using: &g2)
        #expect(a == b)
        try s.validate(a)
        var distinct = Set<Architecture>()
        for _ in 0..<50 { distinct.insert(s.randomArchitecture(using: &g1)) }
        #expect(distinct.count == 50)
        // Every input subset of an any-choice is reachable and valid.
        let any = try SearchSpace(F.inputChoice(n: 3, nChosen: nil))
        var seen = Set<Architecture>()
        var g = SplitMix64(seed: 7)
        for _ in 0..<400 { let x = any.randomArchitecture(using: &g); try any.validate(x); seen.insert(x) }
        #expect(seen.count == 8)
    }
}
