// ShapeConditionExactnessTests: a shape error names the full combination of decisions that fails. Enumerating
// every architecture proves it: each architecture that satisfies the named condition fails the passes' own shape
// inference (so no valid architecture is reported as failing).
import Testing
@testable import NASCFrontend
import NASCIR
import NASCPasses

@Suite struct ShapeConditionExactnessTests {
    static let spaces: [String] = [
        // Fails unless w = 8 and k = 3 (two decisions in every failing condition).
        """
        input x: [1, 8, 8]
        k = choice("k", [3, 5])
        w = choice("w", [4, 8])
        a = x -> conv2d(out: w, kernel: k, padding: 1)
        b = x -> conv2d(out: 8, kernel: 3, padding: 1)
        return add(a, b) -> flatten -> linear(out: 2)
        """,
        // A pool that fails for one combination; a layer choice and a value choice downstream that depend on it.
        """
        input x: [1, 8, 8]
        k = choice("k", [3, 5])
        p = choice("p", [4, 7])
        a = x -> conv2d(out: 4, kernel: k, padding: 1) -> avg_pool2d(kernel: p)
        b = a -> layer_choice("op") {
            keep: identity
            grow: conv2d(out: choice("w", [4, 8]), kernel: 1)
        }
        return add(b, a) -> flatten -> linear(out: 2)
        """,
        // A layer choice whose candidates change the size, a repeat, and a pool kernel that fits only one of them.
        """
        input x: [2, 8, 8]
        op = x -> layer_choice("op") {
            same: conv2d(out: 4, kernel: 3, padding: 1)
            shrink: conv2d(out: 4, kernel: 3)
        }
        d = op -> repeat("d", depth: [1, 2]) { conv2d(out: 4, kernel: 3) }
        return d -> max_pool2d(kernel: choice("pk", [2, 5])) -> flatten -> linear(out: 2)
        """,
    ]

    /// `label = value` pairs after the last " when " of a message.
    static func condition(_ message: String, labels: [String]) -> [String: String]? {
        guard let r = message.range(of: " when ", options: .backwards) else { return nil }
        var rest = String(message[r.upperBound...])
        var out: [String: String] = [:]
        // Labels are listed in sorted order; each value runs up to the next ", <label> = ".
        let sorted = labels.sorted { $0.count > $1.count }
        while !rest.isEmpty {
            guard let l = sorted.first(where: { rest.hasPrefix("\($0) = ") }) else { return nil }
            rest.removeFirst(l.count + 3)
            var end = rest.endIndex
            for other in labels {
                if let next = rest.range(of: ", \(other) = "), next.lowerBound < end { end = next.lowerBound }
            }
            out[l] = String(rest[..<end])
            rest = end == rest.endIndex ? "" : String(rest[rest.index(end, offsetBy: 2)...])
        }
        return out
    }

    /// How the checker names a decision's value (see StaticChecker.describe).
    static func describe(_ v: DecisionValue, kind: DecisionKind) -> String {
        switch (v, kind) {
        case (.value(let s), .repeatDepth): return "depth \(s)"
        case (.value(let s), _): return s.description
        case (.candidate(let c), _): return c
        case (.inputs(let xs), _): return "inputs [" + xs.map(String.init).joined(separator: ", ") + "]"
        }
    }

    @Test(arguments: spaces.indices)
    func namedConditionsAreExact(_ index: Int) throws {
        let source = Self.spaces[index]
        let (program, parseDiags) = Parser.parse(source: source, file: "t.nas")
        #expect(parseDiags.isEmpty)
        let elaborator = Elaborator(file: "t.nas")
        let space = elaborator.elaborate(program)
        #expect(!elaborator.diags.hasErrors)
        let (diags, _) = StaticChecker(space: space, sites: elaborator.instanceSites).run()
        let errors = diags.filter { $0.severity == .error }
        #expect(!errors.isEmpty, "space \(index) has a shape error")
        let search = try SearchSpace(space)
        let archs = Array(search.allArchitectures())
        // Which architectures fail the passes' shape inference.
        func fails(_ arch: Architecture) -> Bool {
            var s = space
            var context = PassContext(architecture: arch)
            do { try PassManager(pipeline: "subnet,canonicalize,dce,shape-infer").runOrThrow(on: &s, context: &context); return false } catch {
                return true
            }
        }
        let failing = archs.map(fails)
        #expect(failing.contains(true) && failing.contains(false), "space \(index) has both valid and failing architectures")
        for e in errors {
            let cond = try #require(Self.condition(e.message, labels: search.labels), "no condition in: \(e.message)")
            var matched = 0
            for (arch, failed) in zip(archs, failing) {
                let matches = cond.allSatisfy { l, v in
                    guard let d = search.decision(l), let chosen = arch[l] else { return false }
                    return Self.describe(chosen, kind: d.kind) == v
                }
                guard matches else { continue }
                matched += 1
                #expect(failed, "'\(e.message)' names \(cond), but \(arch) satisfies it and is valid")
            }
            #expect(matched > 0, "'\(e.message)': the condition \(cond) matches no architecture")
        }
    }
}
