// EndToEndTests: text IR space + architecture -> specialize, inline, shape-infer, autodiff, fuse, lower, memory-plan
// through the pass manager -> executor training and inference.
import Testing
import NASCIR
import NASCPasses
@testable import NASCRuntime

@Suite struct EndToEndTests {
    /// A small MNIST-like space: a layer choice between two convs, an input choice, a value choice for the width.
    static let spaceText = """
    space "tiny" version 1 root @main
    value_choice "hidden" [8, 16]

    graph @main(%x: f32[N,1,8,8]) {
      %c1 = layer_choice(%x) {label = "conv1", candidates = [conv3 = @conv3, conv5 = @conv5]}
      %r1 = relu(%c1)
      %c2 = conv2d(%r1) {out = 4, kernel = 3, padding = 1}
      %bn = batch_norm(%c2)
      %r2 = relu(%bn)
      %sk = input_choice(%r1, %r2) {label = "skip", n_chosen = 1, reduction = sum}
      %p = max_pool2d(%sk) {kernel = 2}
      %f = flatten(%p)
      %h = linear(%f) {out = $hidden}
      %a = relu(%h)
      %d = dropout(%a) {p = 0.25}
      %o = linear(%d) {out = 3}
      return %o
    }

    graph @conv3(%x: f32[N,1,8,8]) {
      %y = conv2d(%x) {out = 4, kernel = 3, padding = 1}
      return %y
    }

    graph @conv5(%x: f32[N,1,8,8]) {
      %y = conv2d(%x) {out = 4, kernel = 5, padding = 2}
      return %y
    }
    """

    func compile(_ arch: Architecture, pipeline: String) throws -> (Plan, ModelSpace) {
        var space = try TextIR.parse(Self.spaceText, file: "tiny.nir")
        var context = PassContext(architecture: arch)
        try PassManager(pipeline: pipeline).runOrThrow(on: &space, context: &context)
        return (try #require(context.plan), space)
    }

    let arch = Architecture(["conv1": .candidate("conv5"), "skip": .inputs([1]), "hidden": .value(.int(16))])

    @Test func subnetTrainsThroughThePassManager() throws {
        let (plan, space) = try compile(arch, pipeline: "subnet,shape-infer,params,autodiff,lower{optimizer=sgd,lr=0.1,momentum=0.9},memory-plan")
        #expect(space.graphs.count == 1)
        let names = plan.slots.filter { $0.role == .parameter }.map(\.name)
        #expect(names.contains { $0.hasSuffix(".weight") } && plan.slots.contains { $0.shape == [.fixed(4), .fixed(1), .fixed(5), .fixed(5)] })
        #expect(plan.slots.contains { $0.name.hasSuffix("weight") && $0.shape == [.fixed(16), .fixed(64)] })
        let exec = try Executor(plan: plan, seed: 1)
        let x = randomFloats(6 * 64, seed: 3)
        let labels: [Int64] = [0, 1, 2, 0, 1, 2]
        let first = try exec.trainStep(data: x, labels: labels, batch: 6)
        var last = first
        for _ in 0..<15 { last = try exec.trainStep(data: x, labels: labels, batch: 6) }
        #expect(last < first)
        // The printed trained IR parses back (training ops round-trip through the text form).
        let text = TextIR.print(space, locations: false)
        let again = TextIR.print(try TextIR.parse(text, file: "trained.nir"), locations: false)
        let plain = TextIR.print(space, locations: false)
        #expect(again == plain)

    }

    @Test func inferencePipelineWithFusion() throws {
        let (plan, _) = try compile(arch, pipeline: "subnet,shape-infer,params,fuse,lower,memory-plan")
        #expect(!plan.isTraining)
        #expect(plan.steps.contains { $0.kernel.name == "batch_norm_fold" })
        let (unfused, _) = try compile(arch, pipeline: "subnet,shape-infer,params,lower")
        let a = try Executor(plan: plan, seed: 2), b = try Executor(plan: unfused, seed: 2)
        let x = randomFloats(3 * 64, seed: 4)
        try a.forward(data: x, batch: 3)
        try b.forward(data: x, batch: 3)
        #expect(maxDiff(a.output, b.output) < 1e-5)
    }

    @Test func pipelineErrorsAreDiagnostics() throws {
        // lower without specialize: the choices are still there.
        var space = try TextIR.parse(Self.spaceText, file: "tiny.nir")
        var context = PassContext()
        let result = try PassManager(pipeline: "lower").run(on: &space, context: &context)
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.description.contains("tiny.nir:") && $0.description.contains("run specialize and inline first") })
    }
}
