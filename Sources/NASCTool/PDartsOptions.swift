// PDartsOptions: the `--strategy-option` keys of `nasc run --strategy pdarts`, read into a PDartsConfig.
import Foundation
import NASCIR
import NASCStrategies

extension OneShotTool {
    /// Reads P-DARTS' options (`stages`, `num_to_drop`, `depths`, `depth_label`, `skip_dropout`, `warmup_epochs`,
    /// `dropout_decay`, `max_skips`, `arch_lr`, `alpha_init_std`; lists comma-separated) into `c`. Each bad value is a
    /// one-line `--strategy-option` error.
    static func readPDarts(_ c: inout PDartsConfig, _ opts: inout OneShotOptions) throws {
        func list<T>(_ key: String, _ parse: (String) -> T?) throws -> [T]? {
            guard let text = opts.string(key) else { return nil }
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return try items.map { item in
                guard let v = parse(item) else { throw opts.error("\(key) must be a comma-separated list of non-negative numbers, got '\(text)'") }
                return v
            }
        }
        let count: (String) -> Int? = { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
        if let s = try opts.int("stages") { c.stages = s }
        c.numToDrop = try list("num_to_drop", count)
        c.depths = try list("depths", count)
        c.depthLabel = opts.string("depth_label")
        c.skipDropout = try list("skip_dropout") { Double($0).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil } }
        try opts.apply(OneShotOptionTable.pdarts, to: &c)
        // Stage counts follow the lists when `stages` is not given.
        if opts.values["stages"] == nil, let n = c.numToDrop?.count ?? c.depths?.count ?? c.skipDropout?.count { c.stages = n }
    }
}
