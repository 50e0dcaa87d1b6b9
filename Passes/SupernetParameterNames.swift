// SupernetParameterNames: the names of a supernet's control parameters (alpha, Gumbel noise and temperature, gates).

/// Parameter names the `supernet` pass gives to the per-label control tensors of each mode. Equal labels share
/// one tensor of each kind. The names are for printing, checkpoints and export only: what a tensor is for is its
/// typed ``ControlParameter`` (on the `param` node and the plan slot), never parsed back out of these names.
public enum SupernetParameterNames {
    /// DARTS / GumbelDARTS architecture weights `alpha` (trainable): `arch:<label>`.
    public static func alpha(_ label: String) -> String { "arch:\(label)" }
    /// GumbelDARTS noise (state, written before every step): `gumbel:noise:<label>`.
    public static func noise(_ label: String) -> String { "gumbel:noise:\(label)" }
    /// GumbelDARTS inverse temperature `1 / tau`, one value per candidate (state): `gumbel:inv_tau:<label>`.
    public static func inverseTemperature(_ label: String) -> String { "gumbel:inv_tau:\(label)" }
    /// Hard (straight-through) GumbelDARTS offset `onehot(argmax(w)) - w` (state, written with the noise; pass option
    /// `gumbel_hard=true`): `gumbel:hard:<label>`.
    public static func hardOffset(_ label: String) -> String { "gumbel:hard:\(label)" }
    /// Proxyless binary gates (trainable only for their gradient; the strategy sets them): `gate:<label>`.
    public static func gate(_ label: String) -> String { "gate:\(label)" }

    /// DARTS- auxiliary skip weights `[1, beta]` (state, one tensor for the whole supernet): `aux:skip_beta`.
    public static let auxSkip = "aux:skip_beta"
}
