// Strategies: the registry that makes a strategy from its command-line name, seed and `key=value` options.
import NASCIR

/// Makes strategies by name (`nasc search --strategy <name> --option key=value`).
///
/// | name        | type                     | options (NNI defaults)                                                  |
/// | ----------- | ------------------------ | ----------------------------------------------------------------------- |
/// | `random`    | ``RandomSearch``         | `dedup` (true)                                                          |
/// | `grid`      | ``GridSearch``           | `shuffle` (true)                                                        |
/// | `evolution` | ``RegularizedEvolution`` | `population_size` (100), `sample_size` (25), `mutation_prob` (0.05), `crossover` (false), `dedup` (true) |
/// | `tpe`       | ``TPE``                  | `n_startup_jobs` (20), `n_ei_candidates` (24), `gamma` (0.25), `prior_weight` (1.0), `linear_forgetting` (25), `constant_liar` (best), `dedup` (true) |
/// | `external`  | ``ExternalStrategy``       | `command` (from `--strategy-command`), `timeout` (600 s), `log`         |
/// | `zero-cost` | ``ZeroCostSearch``       | `proxy` (synflow), `samples` (1000), `batch_size` (64); tpe and evolution take `warmup=PROXY` |
/// | `rl` (`policy`) | ``PolicyBasedRL``    | `hidden` (64), `tanh_constant` (1.5), `lr` (0.05), `batch_size` (4), `baseline_decay` (0.7), `entropy_weight` (1e-4), `grad_clip` (5), `dedup` (true); `algorithm=ppo`: `lr` (0.01), `batch_size` (4), `grad_clip` (0), `eps_clip` (0.2), `epochs` (5), `minibatch_size` (64), `gae_lambda` (0.95), `discount` (1), `vf_coef` (0.5), `ent_coef` (0.01), `norm_adv` (true) |
public enum Strategies {
    /// The names ``make(name:space:seed:options:)`` accepts, in the order they are documented.
    public static let names = ["random", "grid", "evolution", "tpe", "rl"]

    /// Makes the strategy called `name` for `space`, seeded with `seed`, configured by `options`
    /// (`key -> value` text, as given on the command line).
    ///
    /// Throws a ``DiagnosticError`` for an unknown name (with the known names and the closest one), an
    /// unknown option (with the strategy's options), or a value of the wrong type or out of range.
    ///
    /// With a `budget` (the trial budget, `--max-trials`), options the strategy's defaults scale with are filled
    /// in by ``BudgetDefaults`` where `options` does not give them.
    ///
    /// `ranking` is a zero-cost proxy's ranking of architectures, best first (NASCTool computes it): the
    /// `zero-cost` strategy proposes it in order, and `tpe` and `evolution` with `warmup=PROXY` start from it.
    public static func make(name: String, space: SearchSpace, seed: UInt64,
                            options: [String: String] = [:], budget: Int? = nil, ranking: [Architecture]? = nil) throws -> any Strategy {
        var options = BudgetDefaults.resolve(strategy: name, budget: budget, given: options)
        let warmup = ["tpe", "evolution"].contains(name) ? options.removeValue(forKey: "warmup") : nil
        if let warmup {
            guard ZeroCostSearch.Config.proxies.contains(warmup) else {
                throw DiagnosticError(.error("\(name): option warmup=\(warmup) must be one of \(ZeroCostSearch.Config.proxies.joined(separator: ", "))"))
            }
            guard let ranking else {
                throw DiagnosticError(.error("\(name): warmup=\(warmup) needs the proxy ranking (nasc run and nasc compare compute it)"))
            }
            let indices = try ranking.map { try space.strategyIndex(of: $0) }
            if name == "tpe" {
                var s = try TPE(space: space, seed: seed, config: TPE.Config(options: options))
                s.warmStart = indices
                return s
            }
            var s = try RegularizedEvolution(space: space, seed: seed, config: RegularizedEvolution.Config(options: options))
            s.warmStart = indices
            return s
        }
        switch name {
        case "zero-cost":
            let config = try ZeroCostSearch.Config(options: options)
            guard let ranking else {
                throw DiagnosticError(.error("zero-cost: needs the proxy ranking (nasc run and nasc compare compute it)"))
            }
            return try ZeroCostSearch(space: space, seed: seed, config: config, ranking: ranking)
        case "random":
            return try RandomSearch(space: space, seed: seed, config: RandomSearch.Config(options: options))
        case "grid":
            return try GridSearch(space: space, seed: seed, config: GridSearch.Config(options: options))
        case "evolution":
            return try RegularizedEvolution(space: space, seed: seed, config: RegularizedEvolution.Config(options: options))
        case "tpe":
            return try TPE(space: space, seed: seed, config: TPE.Config(options: options))
        case "external":
            return try ExternalStrategy(space: space, seed: seed, config: ExternalStrategy.Config(options: options))
        case "rl", "policy":
            return try PolicyBasedRL(space: space, seed: seed, config: PolicyBasedRL.Config(options: options))
        default:
            throw DiagnosticError(.error(
                "unknown strategy '\(name)'; known strategies are \(names.joined(separator: ", ")), zero-cost, external",
                hint: closest(to: name, in: names + ["zero-cost"]).map { "did you mean '\($0)'?" }))
        }
    }

    /// The candidate closest to `word` by edit distance, if it is reasonably close.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lower = word.lowercased()
        if !lower.isEmpty, let prefixed = candidates.first(where: { $0.lowercased().hasPrefix(lower) }) { return prefixed }
        let scored = candidates.map { ($0, distance($0.lowercased(), word.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
}
