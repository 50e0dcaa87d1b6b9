// Tests for architecture validation: every kind of bad architecture gets a one-line error naming the label.
import Testing
@testable import NASCIR

@Suite struct ArchitectureValidationTests {
    typealias F = SpaceFixtures

    static let good = Architecture([
        "conv1": .candidate("b"), "width": .value(.int(16)), "act": .candidate("tanh"),
        "skip": .inputs([1]), "depth": .value(.int(2)), "blk0op": .candidate("id"),
    ])

    func errors(_ change: (inout Architecture) -> Void) throws -> [String] {
        let s = try SearchSpace(F.nested())
        var a = Self.good
        change(&a)
        let e = try #require(throws: DiagnosticError.self) { try s.validate(a) }
        return e.diagnostics.map(\.description)
    }

    @Test func aGoodArchitecturePasses() throws {
        try SearchSpace(F.nested()).validate(Self.good)
        #expect(try SearchSpace(F.nested()).index(of: Self.good) != nil)
    }

    @Test func unknownAndMissingLabels() throws {
        #expect(try errors { $0["conv2"] = .candidate("a") } == ["error: architecture has unknown label 'conv2'"])
        let s = try SearchSpace(F.nested())
        var a = Self.good
        a["conv2"] = .candidate("a")
        let e = try #require(throws: DiagnosticError.self) { try s.validate(a) }
        #expect(e.diagnostics[0].hint == "did you mean 'conv1'?")
        #expect(try errors { $0["act"] = nil } == ["t.nas:21:1: error: architecture has no value for 'act' (layer choice over [relu, tanh])"])
    }

    @Test func outOfRangeValues() throws {
        #expect(try errors { $0["conv1"] = .candidate("c") } == ["t.nas:5:1: error: 'c' is not a candidate of layer choice 'conv1' (candidates: a, b)"])
        #expect(try errors { $0["width"] = .value(.int(12)) } == ["t.nas:2:1: error: 12 is not a value of value choice 'width' (values: 8, 16)"])
        #expect(try errors { $0["depth"] = .value(.int(3)) } == ["t.nas:8:1: error: 3 is not a depth of repeat 'depth' (depths: 1, 2)"])
        #expect(try errors { $0["skip"] = .inputs([2]) } == ["t.nas:7:1: error: input 2 of input choice 'skip' is out of range (it has 2 inputs, numbered from 0)"])
    }

    @Test func inputListProblems() throws {
        #expect(try errors { $0["skip"] = .inputs([0, 1]) } == ["t.nas:7:1: error: input choice 'skip' must choose exactly 1 of its 2 inputs, got 2"])
        #expect(try errors { $0["skip"] = .inputs([]) } == ["t.nas:7:1: error: input choice 'skip' must choose exactly 1 of its 2 inputs, got 0"])
        #expect(try errors { $0["skip"] = .inputs([1, 1]) } == ["t.nas:7:1: error: input choice 'skip' chooses input 1 twice"])
        #expect(try errors { $0["skip"] = .inputs([1, 0]) } == ["t.nas:7:1: error: inputs of input choice 'skip' must be in ascending order, got [1, 0]"])
    }

    @Test func wrongKindOfValue() throws {
        #expect(try errors { $0["conv1"] = .value(.int(1)) } == ["t.nas:5:1: error: value 1 is the wrong kind of value for 'conv1', which is a layer choice over [a, b]"])
        #expect(try errors { $0["skip"] = .candidate("a") } == ["t.nas:7:1: error: candidate 'a' is the wrong kind of value for 'skip', which is an input choice of 1 among 2"])
    }

    @Test func allProblemsAreReportedTogether() throws {
        let e = try errors { $0["conv1"] = .candidate("z"); $0["width"] = nil; $0["zzz"] = .inputs([]) }
        #expect(e.count == 3)
        #expect(e[0] == "error: architecture has unknown label 'zzz'")
    }

    @Test func valuesMatchNumerically() throws {
        let s = try SearchSpace(F.nested())
        var a = Self.good
        a["width"] = .value(.float(16))
        try s.validate(a)
    }
}
