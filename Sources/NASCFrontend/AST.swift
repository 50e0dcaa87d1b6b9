// AST: the syntax tree of a .nas file, every node carrying its source location.
import NASCIR

/// An expression of the space language (tensors, layers, numbers and value choices share one syntax).
public indirect enum ExprKind: Hashable, Sendable {
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case name(String)
    /// `callee(args) { body }`; `args` is nil for a bare trailing body (`layer_choice { ... }`).
    case call(callee: Expr, args: [Argument]?, body: BraceBody?)
    case binary(BinaryOp, Expr, Expr)
    case negate(Expr)
    /// `cond ? a : b`.
    case conditional(Expr, Expr, Expr)
    /// `lhs -> rhs`: feed a tensor (or tuple) into a layer, or compose two layers.
    case pipe(Expr, Expr)
    /// `(a, b)`: a tuple of tensors.
    case tuple([Expr])
    /// `[a, b]`: a list of values.
    case list([Expr])
    /// `xs[i]`: an element of a list or tuple (negative indices count from the end).
    case index(Expr, Expr)
    /// Stands for an expression that failed to parse (already reported); elaborates to nothing, silently.
    case invalid
}

/// An expression and where it starts.
public struct Expr: Hashable, Sendable {
    public var kind: ExprKind
    public var location: SourceLocation
    /// Creates an expression.
    public init(_ kind: ExprKind, at location: SourceLocation) { self.kind = kind; self.location = location }
}

/// One call argument, positional (`label == nil`) or named (`out: 32`).
public struct Argument: Hashable, Sendable {
    public var label: String?
    public var labelLocation: SourceLocation
    public var value: Expr
    /// Creates an argument.
    public init(label: String?, labelLocation: SourceLocation, value: Expr) {
        self.label = label; self.labelLocation = labelLocation; self.value = value
    }
}

/// A brace body after a primitive: `{ i => entry... }` with named (`conv3: ...`) or bare entries.
public struct BraceBody: Hashable, Sendable {
    /// The factory parameter (`i` in `{ i => ... }`), if any.
    public var binder: String?
    public var binderLocation: SourceLocation
    public var entries: [BraceEntry]
    public var location: SourceLocation
    /// Creates a body.
    public init(binder: String?, binderLocation: SourceLocation, entries: [BraceEntry], location: SourceLocation) {
        self.binder = binder; self.binderLocation = binderLocation; self.entries = entries; self.location = location
    }
}

/// One entry of a brace body.
public struct BraceEntry: Hashable, Sendable {
    public var name: String?
    public var nameLocation: SourceLocation
    public var value: Expr
    /// Creates an entry.
    public init(name: String?, nameLocation: SourceLocation, value: Expr) {
        self.name = name; self.nameLocation = nameLocation; self.value = value
    }
}

/// A statement inside a block or at top level.
public enum StmtKind: Hashable, Sendable {
    /// `name = expr`.
    case bind(name: String, value: Expr)
    /// `return a, b`.
    case ret([Expr])
    /// `for i in range(4) { ... }`: the body runs once per element, rebinding names of the enclosing scope.
    case loop(variable: String, sequence: Expr, body: [Stmt])
}

/// A statement and where it starts.
public struct Stmt: Hashable, Sendable {
    public var kind: StmtKind
    public var location: SourceLocation
    /// Creates a statement.
    public init(_ kind: StmtKind, at location: SourceLocation) { self.kind = kind; self.location = location }
}

/// A declared shape: `[1, 28, 28]` or `i64[16]`, batch dimension implied.
public struct ShapeSyntax: Hashable, Sendable {
    public var dtype: DType
    public var dims: [Expr]
    public var location: SourceLocation
    /// Creates a shape.
    public init(dtype: DType, dims: [Expr], location: SourceLocation) { self.dtype = dtype; self.dims = dims; self.location = location }
}

/// A block parameter: `name` or `name = default`.
public struct Parameter: Hashable, Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var location: SourceLocation
    /// Creates a parameter.
    public init(name: String, defaultValue: Expr?, location: SourceLocation) {
        self.name = name; self.defaultValue = defaultValue; self.location = location
    }
}

/// A tensor input of a block or of the space: `x` or `x: [1, 28, 28]`.
public struct InputDecl: Hashable, Sendable {
    public var name: String
    public var shape: ShapeSyntax?
    public var location: SourceLocation
    /// Creates an input declaration.
    public init(name: String, shape: ShapeSyntax?, location: SourceLocation) { self.name = name; self.shape = shape; self.location = location }
}

/// `block Name(params)(inputs) { statements }`.
public struct BlockDecl: Hashable, Sendable {
    public var name: String
    public var parameters: [Parameter]
    public var inputs: [InputDecl]
    public var body: [Stmt]
    public var location: SourceLocation
    /// Creates a block declaration.
    public init(name: String, parameters: [Parameter], inputs: [InputDecl], body: [Stmt], location: SourceLocation) {
        self.name = name; self.parameters = parameters; self.inputs = inputs; self.body = body; self.location = location
    }
}

/// A whole .nas file.
public struct Program: Hashable, Sendable {
    /// `space name`, if given.
    public var spaceName: String?
    /// The space's inputs (`input x: [...]`).
    public var inputs: [InputDecl]
    public var blocks: [BlockDecl]
    /// Top-level statements: the root graph.
    public var statements: [Stmt]
    /// Names bound (or blocks declared) by statements that failed to parse; their uses report nothing more.
    public var brokenNames: Set<String> = []
    /// Creates a program.
    public init(spaceName: String? = nil, inputs: [InputDecl] = [], blocks: [BlockDecl] = [], statements: [Stmt] = []) {
        self.spaceName = spaceName; self.inputs = inputs; self.blocks = blocks; self.statements = statements
    }
}
