// `nasc compile`: turn a space into verified IR (protobuf, or text for .nir outputs).
import ArgumentParser
import Foundation
import NASCIR
import NASCPasses
import NASCTool

struct Compile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a model space (.nas, .nir or .pb) into verified IR, or with --arch into an executable plan.",
        discussion: """
            Without --arch the output is the verified space (protobuf, or text IR for a .nir output).
            With --arch (or --plan for a space without decisions) the chosen subnet is specialized, differentiated,
            lowered and memory-planned into a plan; `nasc dump plan.pb` lists its steps, buffers and peak memory.
            """
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file (default: the input's name with .pb).")
    var output: String?

    @Option(name: .customLong("passes"), help: "Pass pipeline: pipeline or pass names, comma-separated.")
    var passes = "default"

    @Flag(name: .customLong("print-ir-after-all"), help: "Print the IR to standard error after every pass.")
    var printAfterAll = false

    @Option(help: "Architecture (NNI JSON or nasc protobuf): compile its subnet into an executable plan.")
    var arch: String?

    @Flag(help: "Write a plan even without --arch (the space must have no decisions).")
    var plan = false

    @Option(help: "Compile the whole space into a one-shot supernet plan: darts, gumbel, sampled or proxyless.")
    var supernet: String?

    @Flag(help: "Plan inference only (no backward or update steps).")
    var inference = false

    @Flag(name: .customLong("time-passes"), help: "Print each pass's and compile stage's wall time, and the total, to standard error.")
    var timePasses = false

    @OptionGroup var flags: TrainingFlags

    func run() throws {
        let timer = timePasses ? PassTimer() : nil
        defer { if let timer { printError(timer.report()) } }
        let (file, space) = try timer.measure("parse") { try loadSpace(input) }
        var compiler = Compiler(pipeline: passes)
        if printAfterAll { compiler.printAfterEachPass = { printError($0) } }
        compiler.timer = timer
        let out = output ?? defaultOutput
        do {
            if let supernet {
                let compiled = try OneShotTool.plan(space, mode: supernet, options: flags.options, training: !inference, timer: timer)
                try timer.measure("write") { try OutputFile.write(try ProtoIO.encode(compiled), to: out) }
                return
            }
            if arch != nil || plan {
                let architecture = try arch.map { try ArchitectureFile.load($0, for: space) }
                    ?? ArchitectureFile.none(for: space, file: input)
                let compiled = try ArchitectureTraining.plan(space, architecture, options: flags.options, training: !inference,
                                                             timer: timer)
                try timer.measure("write") { try OutputFile.write(try ProtoIO.encode(compiled), to: out) }
                return
            }
            let compiled = try compiler.run(space)
            try timer.measure("write") { try OutputFile.write(try Compiler.serialize(compiled, for: out), to: out) }
        } catch let error as DiagnosticError {
            printError(file.render(error))
            throw ReportedFailure()
        }
    }

    var defaultOutput: String {
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        return name + ".pb"
    }
}
