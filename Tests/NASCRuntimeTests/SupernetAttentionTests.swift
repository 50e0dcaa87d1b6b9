// SupernetAttentionTests: attention in one-shot supernets — a layer choice between masked self-attention and a
// feed-forward layer, and a head-count value choice (one attention per head count over ONE shared set of parameters:
// heads cannot be masked like widths, a head count sets the head size), each identical to the specialized subnet at
// a one-hot DARTS alpha and at a sampled selection: loss, logits and every parameter gradient.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct SupernetAttentionTests {
    static let spaceText = """
    space "att" version 1 root @main
    value_choice "h" [1, 2, 4]

    graph @main(%x: i64[N,6]) {
      %e = embedding(%x) {vocab = 11, dim = 8}
      %c = layer_choice(%e, %x) {label = "mix", candidates = [attend = @attend, ff = @ff]}
      %p = global_avg_pool1d(%c, %x)
      %o = linear(%p) {out = 3}
      return %o
    }

    graph @attend(%h: f32[N,6,8], %ids: i64[N,6]) {
      %a = multihead_attention(%h, %ids) {heads = $h}
      %s = add(%a, %h)
      %n = layer_norm(%s)
      return %n
    }

    graph @ff(%h: f32[N,6,8], %ids: i64[N,6]) {
      %y = linear(%h) {out = 8}
      %r = relu(%y)
      return %r
    }
    """

    static let ops = ["attend", "ff"], heads = [1, 2, 4]
    /// Token ids with padding (id 0) at the end, inside and in front; labels.
    let ids: [Float] = [3, 5, 1, 7, 0, 0,   0, 2, 9, 0, 4, 4,   10, 1, 1, 2, 3, 6,   0, 0, 0, 0, 8, 2]
    let labels: [Int64] = [0, 2, 1, 2]

    func space() throws -> ModelSpace { try TextIR.parse(Self.spaceText, file: "att.nir") }

    func subnet(op k: Int, heads h: Int) throws -> Plan {
        var s = try space()
        var ctx = PassContext(architecture: Architecture(["mix": .candidate(Self.ops[k]), "h": .value(.int(Self.heads[h]))]))
        try PassManager(pipeline: "subnet,shape-infer").runOrThrow(on: &s, context: &ctx)
        return try PlanCompiler.compile(s, training: true)
    }

    /// The supernet's name of a subnet parameter: candidate `k`'s weights live under `c.<k>.`.
    static func target(_ name: String, op k: Int) -> String { name.hasPrefix("c.") ? "c.\(k)." + name.dropFirst(2) : name }

    static func close(_ a: [Float], _ b: [Float], _ tol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tol * max(1, abs($1)) }
    }

    /// Shares the subnet's weights into the supernet, runs both, compares loss, logits and gradients.
    func compare(_ sup: Executor, op k: Int, heads h: Int) throws {
        let sub = try Executor(plan: try subnet(op: k, heads: h), seed: 3)
        for name in sub.parameterNames { try sup.setParameter(Self.target(name, op: k), try #require(sub.parameter(name))) }
        let l1 = try sup.computeGradients(data: ids, labels: labels, batch: 4)
        let l2 = try sub.computeGradients(data: ids, labels: labels, batch: 4)
        #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "loss \(l1) vs \(l2)")
        #expect(Self.close(sup.output, sub.output), "logits")
        for name in sub.parameterNames {
            let g = try #require(sup.gradient(of: Self.target(name, op: k)), "supernet has no gradient of \(name)")
            #expect(Self.close(g, try #require(sub.gradient(of: name))), "gradient of \(name) (op \(k), heads \(Self.heads[h]))")
        }
    }

    @Test(arguments: [(0, 0), (0, 1), (0, 2), (1, 0)])
    func dartsOneHotAlphaMatchesTheSubnet(op k: Int, heads h: Int) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .darts)
        // One attention parameter set for every head count.
        #expect(plan.slots.filter { $0.role == .parameter && $0.name.hasSuffix("in_proj_weight") }.count == 1)
        let sup = try Executor(plan: plan, seed: 7)
        try sup.setParameter("arch:mix", (0..<2).map { $0 == k ? 0 : -1e4 })
        try sup.setParameter("arch:h", (0..<3).map { $0 == h ? 0 : -1e4 })
        try compare(sup, op: k, heads: h)
    }

    @Test(arguments: [(0, 0), (0, 1), (0, 2), (1, 2)])
    func sampledSelectionMatchesTheSubnet(op k: Int, heads h: Int) throws {
        let plan = try SupernetCompiler.compile(try space(), mode: .sampled)
        #expect(Set(plan.selectors.map(\.label)) == ["mix", "h"])
        let sup = try Executor(plan: plan, seed: 7)
        try sup.select(["mix": k, "h": h])
        try compare(sup, op: k, heads: h)
    }

    /// A head count reading two value choices has no single mix: a located error.
    @Test func headsReadingTwoValueChoicesIsALocatedError() throws {
        let text = """
        space "two" version 1 root @main
        value_choice "h" [1, 2]
        value_choice "g" [1, 2]

        graph @main(%x: i64[N,6]) {
          %e = embedding(%x) {vocab = 11, dim = 8}
          %a = multihead_attention(%e, %x) {heads = $h * $g}
          %p = global_avg_pool1d(%a, %x)
          %o = linear(%p) {out = 3}
          return %o
        }
        """
        do {
            _ = try SupernetCompiler.compile(try TextIR.parse(text, file: "two.nir"), mode: .darts)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("two.nir:7:") && "\(error)".contains("reads 2 value choices; a supernet supports one"), "\(error)")
        }
    }
}
