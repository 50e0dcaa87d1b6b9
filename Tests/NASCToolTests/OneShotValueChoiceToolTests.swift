// OneShotValueChoiceToolTests: examples/digits_valuechoice.nas (value choices and a repeat) compiles to DARTS and sampled
// supernet plans whose selectors and architecture weights cover every decision, and an exported architecture is
// accepted by the training side (`nasc train --arch`).
import Testing
import NASCIR
import NASCTool

@Suite struct OneShotValueChoiceToolTests {
    static let path = NascProcess.root.appendingPathComponent("examples/digits_valuechoice.nas").path

    @Test func exampleCompilesToBothSupernets() throws {
        let space = try InputFile(path: Self.path).loadSpace()
        let sampled = try OneShotTool.plan(space, mode: "sampled", options: TrainOptions(), training: true)
        #expect(Set(sampled.selectors.map(\.label)) == ["width", "kernel", "depth", "hidden"])
        #expect(sampled.selectors.first { $0.label == "depth" }?.candidates == ["0", "1", "2"])
        let darts = try OneShotTool.plan(space, mode: "darts", options: TrainOptions(), training: true)
        #expect(Set(darts.slots.filter { $0.role == .parameter }.map(\.name).filter { $0.hasPrefix("arch:") }) == ["arch:width", "arch:kernel", "arch:depth", "arch:hidden"])
    }

    @Test func exportedArchitectureSpecializes() throws {
        let space = try InputFile(path: Self.path).loadSpace()
        let json = #"{"width": 16, "kernel": 5, "depth": 2, "hidden": 32}"#
        let arch = try ArchitectureJSON.read(json, space: try SearchSpace(space))
        try SearchSpace(space).validate(arch)
        let plan = try ArchitectureTraining.plan(space, arch, options: TrainOptions(), training: true)
        // The subnet has the exported sizes: stem conv 16 x 1 x 5 x 5, two repeat blocks, hidden width 32.
        let shapes = Dictionary(plan.slots.filter { $0.role == .parameter }.map { ($0.name, $0.shape.map { $0.value ?? -1 }) }, uniquingKeysWith: { a, _ in a })
        #expect(shapes.values.contains([16, 1, 5, 5]))
        #expect(shapes.values.filter { $0 == [16, 16, 3, 3] }.count == 2)
        #expect(shapes.values.contains([32, 256]))
    }
}
