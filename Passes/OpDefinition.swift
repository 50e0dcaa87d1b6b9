// OpDefinition: everything the compiler knows about one op kind, declared once (the op table's entry type).
import NASCIR

/// One op kind's behaviour, declared in one place (`Passes/Ops/*.swift`) and read by every phase:
/// the front end (language form and shape rule), shape inference, cost counting and autodiff.
///
/// The op's data lives in the IR: its ``Op`` case and typed attribute struct, its text and protobuf
/// spelling (`OpKind`'s raw value, written and read through the attribute bridge). ``sample`` is one
/// instance of the op that the op-table test round-trips through text and protobuf, so the spelling of
/// every kind is checked against this entry. See docs/passes.md, "Adding an op".
public struct OpDefinition: Sendable {
    /// The kind; its raw value is the op's name in text IR, protobuf and (if ``language`` is set) `.nas`.
    public let kind: OpKind
    /// How `.nas` spells the op, or `nil` for ops only passes create (gradients, params, losses...).
    public let language: OpLanguageForm?
    /// The output type from the input types.
    public let shape: ShapeRule
    /// Parameters, MACs and FLOPs.
    public let cost: CostRule
    /// What autodiff emits for it.
    public let gradient: GradientRule
    /// An instance with typical attributes (text/protobuf round trip in the op-table test).
    public let sample: Op

    /// Creates a definition.
    public init(_ kind: OpKind, language: OpLanguageForm? = nil, shape: ShapeRule, cost: CostRule, gradient: GradientRule,
                sample: Op) {
        self.kind = kind; self.language = language; self.shape = shape; self.cost = cost; self.gradient = gradient
        self.sample = sample
    }
}

/// How an op's output type follows from its inputs.
public enum ShapeRule: Sendable {
    /// Output type of the op for its input types: `nil` when a shape-affecting attribute reads a value choice.
    /// Called only with ops of the definition's kind, after the generic arity and dimension checks.
    case rule(@Sendable (_ op: Op, _ inputs: [TensorType]) throws(ShapeError) -> TensorType?)
    /// Structural ops (`call`, choices): inferred by the shape engine from the model space.
    case fromSpace
    /// Gradient ops: autodiff annotates their types (a strided conv's input size is not derivable from its inputs).
    case fromAutodiff
}

/// How an op counts towards a model's size and work.
public enum CostRule: Sendable {
    /// Counts for one sample, from the op, its input types and its output type (`nil` on a symbolic attribute or overflow).
    case rule(@Sendable (_ op: Op, _ shapes: CostShapes) -> OpCost.Counts?)
    /// Not part of a model's cost: training ops (parameters, losses, gradients) and supernet plumbing count 0.
    case notModelCost
    /// Has no cost of its own until specialized (`call`, choices): counting a graph with it gives `nil`.
    case needsSpecialization
}

/// Input and output types of one op, for cost rules.
public struct CostShapes: Sendable {
    /// Input types.
    public let inputs: [TensorType]
    /// Output type.
    public let output: TensorType
    /// Output elements per sample (the batch dimension counts as 1).
    public let outputElements: Int
    /// Elements per sample of the first input.
    public let inputElements: Int
}

/// What autodiff does for an op.
public enum GradientRule: Sendable {
    /// Emits the op's backward nodes and hands gradients to its inputs.
    case rule(@Sendable (_ op: Op, _ builder: inout GradientBuilder) throws -> Void)
    /// The op's output does not depend on its inputs (`zero`): no gradient flows.
    case none
    /// Autodiff rejects it, with this reason (structural ops before specialization, and the backward ops themselves).
    case notDifferentiable(String)
}

/// How `.nas` spells an op: attributes, positional order, aliases and a one-line summary.
public struct OpLanguageForm: Sendable {
    /// Attributes as the language spells them.
    public let attributes: [AttrSpec]
    /// Attribute names that positional number arguments fill, in order (`conv2d(x, 32, 3)`).
    public let positional: [String]
    /// Alternative names, PyTorch-flavoured (`dw_conv2d`).
    public let aliases: [String]
    /// One line for help texts.
    public let summary: String

    /// Creates a language form.
    public init(_ attributes: [AttrSpec] = [], positional: [String] = [], aliases: [String] = [], summary: String) {
        self.attributes = attributes; self.positional = positional; self.aliases = aliases; self.summary = summary
    }

    /// The attribute called `name`.
    public func attribute(_ name: String) -> AttrSpec? { attributes.first { $0.name == name } }
}

/// How an attribute's value is written and checked in `.nas`.
public enum AttrType: Hashable, Sendable {
    /// A number or value-choice expression.
    case expr
    /// A constant integer (a value choice is rejected: the shape must be fixed).
    case constInt
    /// A constant number.
    case constFloat
    case bool
    /// A number, `same` or `valid`.
    case padding
}

/// One attribute of an op as `.nas` spells it.
public struct AttrSpec: Hashable, Sendable {
    public var name: String
    public var type: AttrType
    public var required: Bool
    /// Language-level default applied when the attribute is omitted (IR defaults otherwise).
    public var defaultValue: ValueExpr?

    /// Creates an attribute spec.
    public init(_ name: String, _ type: AttrType, required: Bool = false, default defaultValue: ValueExpr? = nil) {
        self.name = name; self.type = type; self.required = required; self.defaultValue = defaultValue
    }
}
