// GridSearchTests: grid search visits every architecture exactly once, in a seed-dependent shuffled order.
import BigInt
import NASCIR
@testable import NASCStrategies
import Testing

@Suite struct GridSearchTests {
    @Test func enumeratesEveryArchitectureExactlyOnce() throws {
        let space = SyntheticLandscape.benchmarkSpace
        var s = try GridSearch(space: space, seed: 1)
        var seen: [Architecture] = []
        while !s.isExhausted {
            let batch = try s.ask(count: 500)
            #expect(!batch.isEmpty)
            seen += batch
        }
        #expect(seen.count == 3840)
        #expect(Set(seen).count == 3840)
        #expect(try s.ask(count: 1).isEmpty)
        // Shuffled: not the enumeration order.
        #expect(Array(seen.prefix(50)) != Array(space.allArchitectures().prefix(50)))
    }

    @Test func orderDependsOnTheSeed() throws {
        var a = try GridSearch(space: mixedSpace, seed: 1)
        var b = try GridSearch(space: mixedSpace, seed: 2)
        var a2 = try GridSearch(space: mixedSpace, seed: 1)
        let pa = try a.ask(count: 72), pb = try b.ask(count: 72), pa2 = try a2.ask(count: 72)
        #expect(pa == pa2)
        #expect(pa != pb)
        #expect(Set(pa) == Set(pb))
        #expect(Set(pa) == Set(mixedSpace.allArchitectures()))
    }

    @Test func unshuffledFollowsEnumerationOrder() throws {
        var s = try GridSearch(space: mixedSpace, seed: 1, config: .init(shuffle: false))
        #expect(try s.ask(count: 100) == Array(mixedSpace.allArchitectures()))
        #expect(s.isExhausted)
    }

    @Test func permutationIsABijectionForManySizes() {
        for n in 1...130 {
            let p = SeededPermutation(size: BigInt(n), seed: UInt64(n) * 7)
            let image = (0..<n).map { p.apply(BigInt($0)) }
            #expect(Set(image) == Set((0..<n).map { BigInt($0) }), "size \(n)")
        }
    }

    @Test func permutationOfAHugeDomainIsInjectiveAndInRange() {
        // 2^150 + 7: halves of 76 bits, i.e. the multi-word round function.
        let size = (BigInt(1) << 150) + 7
        let p = SeededPermutation(size: size, seed: 5)
        let image = (0..<300).map { p.apply(BigInt($0)) }
        #expect(Set(image).count == 300)
        #expect(image.allSatisfy { $0 >= 0 && $0 < size })
        // Spread over the whole range, not clustered near 0.
        #expect(image.filter { $0 > size / 2 }.count > 100)
    }

    @Test func hugeSpaceProposesValidDistinctArchitectures() throws {
        let space = uniformSpace(decisions: 40, values: 7)  // 7^40 ~ 6e33 architectures
        var s = try GridSearch(space: space, seed: 3)
        let proposals = try s.ask(count: 200)
        #expect(Set(proposals).count == 200)
        for a in proposals { try space.validate(a) }
        #expect(!s.isExhausted)
    }
}
