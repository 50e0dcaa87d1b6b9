// ProtoFormatError: an internal error of the protobuf conversions, carrying where in the IR it happened.

/// A conversion error between the IR and its protobuf form. ``ProtoIO`` turns it into a ``DiagnosticError``
/// located at the file being read (or at the IR entity being written).
struct ProtoFormatError: Error, Sendable, CustomStringConvertible {
    /// Enclosing IR entities, outermost first (`graph @main`, `node %c1`).
    var context: [String]
    /// What is wrong, one line.
    var message: String
    /// The IR location of the entity, when encoding.
    var location: SourceLocation?

    /// Creates an error with no context yet.
    init(_ message: String, location: SourceLocation? = nil) {
        self.context = []
        self.message = message
        self.location = location
    }

    /// `graph @main, node %c1: message`.
    var description: String {
        context.isEmpty ? message : context.joined(separator: ", ") + ": " + message
    }

    /// Runs `body`, adding `entity` (and its location if none is known yet) to any error it throws.
    static func within<T>(_ entity: String, location: SourceLocation? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as ProtoFormatError {
            e.context.insert(entity, at: 0)
            if e.location == nil, let location, !location.isUnknown { e.location = location }
            throw e
        } catch let e as AttributeError {
            var out = ProtoFormatError(e.message)
            out.context = [entity]
            if let location, !location.isUnknown { out.location = location }
            throw out
        }
    }
}
