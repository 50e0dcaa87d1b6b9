// `nasc trial`: evaluate one architecture of a space and print JSON metric lines (one process per trial of `nasc run`).
import ArgumentParser
import Foundation
import NASCExperiment
import NASCTool

struct Trial: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one architecture and print JSON lines: overhead, intermediate metrics, final metric.",
        discussion: """
        Lines on stdout: {"type":"overhead",...}, {"type":"intermediate","epoch":1,"metric":0.91}, \
        {"type":"final","metric":0.97,"params":...}. Errors (bad input, budget, NaN divergence) print \
        {"type":"error",...} and exit 1. `nasc run` starts one of these per trial.
        """
    )

    @Argument(help: "The model space: .nas, .nir or protobuf.")
    var space: String

    @Argument(help: "The architecture: NNI JSON (v1, v3 or tuner form).")
    var architecture: String

    @Option(name: .customLong("trial-id"), help: "The trial's id in its experiment (selects injected faults).")
    var trialID: Int?

    @Option(name: .customLong("max-params"), help: "Reject the architecture if its subnet has more parameters.")
    var maxParams: Int?

    @Option(name: .customLong("max-flops"), help: "Reject the architecture if its subnet needs more FLOPs per sample.")
    var maxFlops: Int?

    @OptionGroup var evaluator: EvaluatorOptions

    func validate() throws {
        try checkFlag("--trial-id", trialID, .nonNegative)
        try checkFlag("--max-params", maxParams, .positive)
        try checkFlag("--max-flops", maxFlops, .positive)
    }

    func run() throws {
        let startedAt = Date().timeIntervalSince1970
        if trialID != nil { ExperimentTool.superviseTrialProcess() }
        let code = ExperimentTool.trial(spacePath: space, architecturePath: architecture, trialID: trialID,
                                        budget: Budget(maxParams: maxParams, maxFlops: maxFlops),
                                        evaluator: try evaluator.settings(), startedAt: startedAt)
        if code != 0 { throw ReportedFailure(code: code) }
    }
}
