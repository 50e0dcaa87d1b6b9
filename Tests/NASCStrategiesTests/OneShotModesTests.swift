// OneShotModesTests: gumbel and proxyless supernets — identity with the specialized subnet at a one-hot weighting,
// alpha and gate gradients against finite differences, deterministic Gumbel noise — and second-order DARTS (equal
// to first order at xi = 0; the unrolled gradient against finite differences of the unrolled objective).
import Testing
import NASCIR
import NASCPasses
import NASCData
import NASCRuntime
@testable import NASCStrategies

@Suite struct OneShotModesTests: TinyThreeWaySupernet {
    @Test(arguments: [(0, 0), (1, 1), (2, 0), (2, 1)])
    func gumbelAtOneHotMatchesTheSubnet(op k: Int, input j: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .gumbel), seed: 7)
        let sub = try Executor(plan: try subnet(op: k, input: j), seed: 3)
        try share(from: sub, to: sup, op: k)
        // Fresh noise at temperature 0.5: alpha differences of 1e4 still saturate the softmax to an exact one-hot.
        #expect(try sup.drawGumbelNoise(temperature: 0.5, draw: 3) == 2)
        #expect(sup.parameter("gumbel:noise:op")?.contains { $0 != 0 } == true)
        #expect(sup.parameter("gumbel:inv_tau:op") == [2, 2, 2])
        try sup.setParameter("arch:op", (0..<3).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:in", (0..<2).map { $0 == j ? 0 : -1e4 })
        try expectSame(sup, sub, op: k)
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 1)])
    func proxylessSelectedPathMatchesTheSubnet(op k: Int, input j: Int) throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .proxyless), seed: 7)
        #expect(sup.architectureParameterNames.isEmpty)
        let sub = try Executor(plan: try subnet(op: k, input: j), seed: 3)
        try share(from: sub, to: sup, op: k)
        try sup.setParameter("gate:op", (0..<3).map { $0 == k ? 1 : 0 })
        try sup.setParameter("gate:in", (0..<2).map { $0 == j ? 1 : 0 })
        try expectSame(sup, sub, op: k)
        // Gated-off candidates get exactly zero weight gradients.
        for name in sup.parameterNames where name.hasPrefix("c.") && !name.hasPrefix("c.\(k).") {
            #expect(sup.gradient(of: name)?.allSatisfy { $0 == 0 } == true, "\(name)")
        }
    }

    /// Central finite differences of the train-mode loss in one parameter's entries.
    func finiteDifferences(_ e: Executor, _ name: String, at values: [Float], eps: Float = 1e-2) throws -> [Float] {
        var out: [Float] = []
        for i in values.indices {
            var a = values; a[i] += eps
            try e.setParameter(name, a)
            let up = try #require(try e.forward(data: x, labels: labels, batch: 4, mode: .train))
            a[i] -= 2 * eps
            try e.setParameter(name, a)
            let down = try #require(try e.forward(data: x, labels: labels, batch: 4, mode: .train))
            out.append((up - down) / (2 * eps))
        }
        try e.setParameter(name, values)
        return out
    }

    @Test func gumbelAlphaGradientMatchesFiniteDifferences() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .gumbel), seed: 11)
        try sup.drawGumbelNoise(temperature: 0.7, draw: 0)
        let alpha: [Float] = [0.3, -0.2, 0.1]
        try sup.setParameter("arch:op", alpha)
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let grad = try #require(sup.gradient(of: "arch:op"))
        let fd = try finiteDifferences(sup, "arch:op", at: alpha)
        for i in 0..<3 { #expect(abs(fd[i] - grad[i]) <= 2e-3 + 2e-2 * abs(fd[i]), "alpha[\(i)]: fd \(fd[i]) autodiff \(grad[i])") }
        #expect(grad.contains { $0 != 0 })
        // Noise and temperature are state, not trained.
        #expect(sup.gradient(of: "gumbel:noise:op") == nil)
    }

    @Test func proxylessGateGradientIsTheBinaryGradient() throws {
        let sup = try Executor(plan: try SupernetCompiler.compile(try space(), mode: .proxyless), seed: 11)
        let gates: [Float] = [0, 1, 0]
        try sup.setParameter("gate:op", gates)
        try sup.setParameter("gate:in", [1, 0])
        try sup.computeGradients(data: x, labels: labels, batch: 4)
        let grad = try #require(sup.gradient(of: "gate:op"))
        let fd = try finiteDifferences(sup, "gate:op", at: gates)
        for i in 0..<3 { #expect(abs(fd[i] - grad[i]) <= 2e-3 + 2e-2 * abs(fd[i]), "gate[\(i)]: fd \(fd[i]) autodiff \(grad[i])") }
        #expect(grad.filter { $0 != 0 }.count >= 2, "binary gradients of unselected paths are computed: \(grad)")
    }

    @Test func proxylessAlphaGradientIsTheSoftmaxChainRule() {
        let bg: [Float] = [0.5, -1.0, 2.0]
        let p = OneShotExport.softmax([0.1, 0.4, -0.3])
        let g = ProxylessSearch.alphaGradient(binary: bg, subset: [0, 1, 2], probabilities: p, count: 3)
        let mean = zip(p, bg).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        for i in 0..<3 { #expect(abs(Double(g[i]) - p[i] * (Double(bg[i]) - mean)) < 1e-6) }
        // Two paths: only the subset gets a gradient, from the renormalized pair.
        let p2 = OneShotExport.softmax([0.1, -0.3])
        let g2 = ProxylessSearch.alphaGradient(binary: bg, subset: [0, 2], probabilities: p2, count: 3)
        let m2 = p2[0] * 0.5 + p2[1] * 2.0
        #expect(g2[1] == 0)
        #expect(abs(Double(g2[0]) - p2[0] * (0.5 - m2)) < 1e-6 && abs(Double(g2[2]) - p2[1] * (2.0 - m2)) < 1e-6)
    }

    @Test func gumbelNoiseIsDeterministicPerSeedAndDraw() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .gumbel)
        let a = try Executor(plan: plan, seed: 4), b = try Executor(plan: plan, seed: 4), c = try Executor(plan: plan, seed: 5)
        try a.drawGumbelNoise(temperature: 1, draw: 2); try b.drawGumbelNoise(temperature: 1, draw: 2)
        try c.drawGumbelNoise(temperature: 1, draw: 2)
        let na = try #require(a.parameter("gumbel:noise:op"))
        #expect(na == b.parameter("gumbel:noise:op"))
        #expect(na != c.parameter("gumbel:noise:op"))
        try b.drawGumbelNoise(temperature: 1, draw: 3)
        #expect(na != b.parameter("gumbel:noise:op"))
        #expect(na.allSatisfy { $0.isFinite })
    }

    @Test func dartsMinusAuxSkipAddsBetaTimesTheInput() throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .darts, auxSkip: true)
        #expect(plan.slots.contains { $0.name == "aux:skip_beta" && $0.role == .state })
        let sup = try Executor(plan: plan, seed: 7)
        let sub = try Executor(plan: try subnet(op: 1, input: 0), seed: 3)
        try share(from: sub, to: sup, op: 1)
        try sup.setParameter("arch:op", [-1e4, 0, -1e4])
        try sup.setParameter("arch:in", [0, -1e4])
        // beta = 0: exactly the subnet.
        try sup.setParameter("aux:skip_beta", [1, 0])
        try expectSame(sup, sub, op: 1)
        // beta = 1: the choice outputs conv1(s) + s, which the subnet with a skip added does not equal, so the loss moves.
        try sup.setParameter("aux:skip_beta", [1, 1])
        let l0 = try sub.forward(data: x, labels: labels, batch: 4, mode: .train)
        let l1 = try sup.forward(data: x, labels: labels, batch: 4, mode: .train)
        #expect(l0 != l1)
        #expect(!(try SupernetCompiler.compile(try space(), mode: .darts)).slots.contains { $0.name == "aux:skip_beta" })
    }

    // MARK: second-order DARTS

    func darts(seed: UInt64 = 3) throws -> DartsSearch {
        var c = DartsConfig()
        c.seed = seed
        return try DartsSearch(space: try space(), config: c)
    }

    @Test func unrolledAtXiZeroIsFirstOrder() throws {
        let d = try darts()
        try d.executor.setParameter("arch:op", [0.3, -0.2, 0.1])
        let t = (x: x, y: labels, n: 4), v = (x: x2, y: labels2, n: 4)
        let before = d.weightNames.map { d.executor.parameter($0) }
        let second = try d.unrolledGradient(train: t, valid: v, xi: 0)
        let first = try d.firstOrderGradient(v)
        #expect(second.grad == first.grad)
        #expect(second.loss == first.loss)
        #expect(try #require(first.grad["arch:op"]).contains { $0 != 0 })
        // The weights were restored after the virtual step.
        #expect(d.weightNames.map { d.executor.parameter($0) } == before)
    }

    /// `L_val(w - xi * grad_w L_train(w, alpha), alpha)` at the executor's current weights.
    func unrolledObjective(_ d: DartsSearch, alpha: [Float], xi: Float) throws -> Float {
        let e = d.executor
        try e.setParameter("arch:op", alpha)
        let names = d.weightNames
        let saved = names.map { e.parameter($0)! }
        try e.computeGradients(data: x, labels: labels, batch: 4)
        let grads = names.map { e.gradient(of: $0)! }
        for (i, n) in names.enumerated() { try e.setParameter(n, zip(saved[i], grads[i]).map { $0 - xi * $1 }) }
        let loss = try #require(try e.forward(data: x2, labels: labels2, batch: 4, mode: .train))
        for (i, n) in names.enumerated() { try e.setParameter(n, saved[i]) }
        return loss
    }

    @Test func unrolledGradientMatchesFiniteDifferencesOfTheUnrolledObjective() throws {
        let d = try darts(seed: 8)
        let alpha: [Float] = [0.4, -0.3, 0.2], xi: Float = 1.0
        try d.executor.setParameter("arch:op", alpha)
        let t = (x: x, y: labels, n: 4), v = (x: x2, y: labels2, n: 4)
        let second = try #require(try d.unrolledGradient(train: t, valid: v, xi: Double(xi)).grad["arch:op"])
        try d.executor.setParameter("arch:op", alpha)
        let first = try #require(try d.firstOrderGradient(v).grad["arch:op"])
        let eps: Float = 1e-2
        var fd: [Float] = []
        for i in 0..<3 {
            var a = alpha; a[i] += eps
            let up = try unrolledObjective(d, alpha: a, xi: xi)
            a[i] -= 2 * eps
            let down = try unrolledObjective(d, alpha: a, xi: xi)
            fd.append((up - down) / (2 * eps))
        }
        // The finite-difference Hessian-vector product is exact up to O(eps^2) and float rounding; the first-order
        // gradient ignores the virtual step entirely, so it must be further off.
        let errSecond = zip(second, fd).map { abs($0 - $1) }.max() ?? 0
        let errFirst = zip(first, fd).map { abs($0 - $1) }.max() ?? 0
        #expect(errSecond <= 5e-3 + 5e-2 * (fd.map(abs).max() ?? 0), "unrolled \(second), finite differences \(fd)")
        #expect(errSecond < errFirst, "second order \(second) is not closer to \(fd) than first order \(first)")
    }
}
