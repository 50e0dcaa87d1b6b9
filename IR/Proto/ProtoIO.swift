// ProtoIO: reads and writes nasc's binary files (one NascFile each) with located, one-line errors.
import SwiftProtobuf

/// Encodes model spaces and architectures as `NascFile` protobuf bytes (IR/Schema/nasc.proto) and decodes them.
///
/// Encoding is deterministic: equal values give equal bytes. Decoding never traps; every problem is a
/// ``DiagnosticError`` located at the file, e.g. `a.pb: error: unsupported format version 7 (this nasc reads version 1)`.
public enum ProtoIO {
    /// The `producer` field nasc writes.
    public static let producer = "nasc"

    /// Encodes a model space as a `NascFile`. Throws a ``DiagnosticError`` if some value has no encoding
    /// (a negative fixed dimension).
    public static func encode(_ space: ModelSpace) throws -> [UInt8] {
        let payload = try converting("model space '\(space.name)'") { try space.toProto() }
        return try serialize(.space(payload))
    }

    /// Encodes an architecture as a `NascFile`, decisions sorted by label.
    public static func encode(_ arch: Architecture) throws -> [UInt8] {
        try serialize(.architecture(arch.proto))
    }

    /// Encodes an executable plan as a `NascFile`: the bytes `serialize(.plan(plan.toProto()))` gives, written
    /// field by field (see ``encodePlanFile(_:)``). The plan is validated first (``Plan/validate()``): nasc never
    /// writes a plan that its own reader would reject.
    public static func encode(_ plan: Plan) throws -> [UInt8] {
        try plan.validate()
        return try encodePlanFile(plan.toProto())
    }

    /// The `NascFile` bytes of a plan payload, identical to ``serialize(_:)``'s (fields in number order, proto3
    /// defaults omitted), but with the plan's slots and steps serialized one message at a time. SwiftProtobuf sizes
    /// every nested message again at each enclosing level, so serializing the whole file walked a large plan's steps
    /// once per nesting level; here the file and plan levels are written directly.
    static func encodePlanFile(_ plan: Nasc_Ir_Plan) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        do {
            // Plan fields 1-2, then the repeated slots (3) and steps (4), then fields 5-13.
            var head = Nasc_Ir_Plan(), tail = plan
            head.version = plan.version
            head.name = plan.name
            tail.version = 0; tail.name = ""; tail.slots = []; tail.steps = []
            var body: [UInt8] = try head.serializedBytes(options: options)
            for slot in plan.slots { appendField(3, try slot.serializedBytes(options: options), to: &body) }
            for step in plan.steps { appendField(4, try step.serializedBytes(options: options), to: &body) }
            body += try tail.serializedBytes(options: options) as [UInt8]
            // NascFile fields 1-2, then the plan payload (12).
            var file = Nasc_Ir_NascFile()
            file.formatVersion = UInt32(ModelSpace.formatVersion)
            file.producer = producer
            var out: [UInt8] = try file.serializedBytes(options: options)
            appendField(12, body, to: &out)
            return out
        } catch {
            throw DiagnosticError(Diagnostic.error("cannot encode nasc protobuf file: \(error)"))
        }
    }

    /// Appends a length-delimited field (tag, length, bytes) in protobuf wire format.
    private static func appendField(_ number: Int, _ bytes: [UInt8], to out: inout [UInt8]) {
        appendVarint(UInt64(number << 3 | 2), to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out += bytes
    }

    /// Appends a protobuf base-128 varint.
    private static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    /// Encodes a training checkpoint as a `NascFile`.
    public static func encode(_ checkpoint: Checkpoint) throws -> [UInt8] {
        try serialize(.checkpoint(checkpoint.toProto()))
    }

    /// Decodes a `NascFile`. `file` names the input in diagnostics. Throws ``DiagnosticError`` for bytes that are not
    /// a protobuf `NascFile`, a missing or unsupported format version, an empty payload, or IR that does not convert
    /// (unknown op kind, bad attributes, unknown enum values, ...).
    public static func decodeFile(_ bytes: [UInt8], file: String) throws -> NascFilePayload {
        let at = SourceLocation(file: file)
        func fail(_ message: String) -> DiagnosticError { DiagnosticError(Diagnostic.error(oneLine(message), at: at)) }

        guard !bytes.isEmpty else { throw fail("not a valid nasc protobuf file: the file is empty") }
        let message: Nasc_Ir_NascFile
        do {
            message = try Nasc_Ir_NascFile(serializedBytes: bytes)
        } catch {
            throw fail("not a valid nasc protobuf file: \(describe(error))")
        }
        let expected = ModelSpace.formatVersion
        guard message.formatVersion != 0 else {
            throw fail("missing format version (this nasc reads version \(expected))")
        }
        guard message.formatVersion == UInt32(expected) else {
            throw fail("unsupported format version \(message.formatVersion) (this nasc reads version \(expected))")
        }
        do {
            switch message.payload {
            case nil:
                throw ProtoFormatError("file has no payload (expected a model space, an architecture, a plan or a checkpoint)")
            case .space(let s)?:
                return .space(try ModelSpace(proto: s))
            case .architecture(let a)?:
                return .architecture(try Architecture(proto: a))
            case .plan(let p)?:
                return .plan(try Plan(proto: p))
            case .checkpoint(let c)?:
                return .checkpoint(try Checkpoint(proto: c))
            }
        } catch let e as ProtoFormatError {
            throw fail(e.description)
        }
    }

    /// The protobuf JSON form of a model space's `NascFile` (for `nasc dump --format json`), fields in schema order.
    public static func json(_ space: ModelSpace) throws -> String {
        let payload = try converting("model space '\(space.name)'") { try space.toProto() }
        var file = Nasc_Ir_NascFile()
        file.formatVersion = UInt32(ModelSpace.formatVersion)
        file.producer = producer
        file.payload = .space(payload)
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        do {
            return try file.jsonString(options: options)
        } catch {
            throw DiagnosticError(Diagnostic.error("cannot encode nasc protobuf JSON: \(error)"))
        }
    }

    /// Wraps a payload in a `NascFile` with the current format version and serializes it deterministically.
    static func serialize(_ payload: Nasc_Ir_NascFile.OneOf_Payload) throws -> [UInt8] {
        var file = Nasc_Ir_NascFile()
        file.formatVersion = UInt32(ModelSpace.formatVersion)
        file.producer = producer
        file.payload = payload
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        do {
            return try file.serializedBytes(options: options)
        } catch {
            throw DiagnosticError(Diagnostic.error("cannot encode nasc protobuf file: \(error)"))
        }
    }

    /// Runs an IR -> protobuf conversion, turning its errors into a located ``DiagnosticError``.
    static func converting<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as ProtoFormatError {
            throw DiagnosticError(Diagnostic.error("cannot encode \(what): \(e.description)", at: e.location ?? .unknown))
        }
    }

    /// Escapes control characters (names read from a file may hold newlines) so a diagnostic stays on one line.
    static func oneLine(_ message: String) -> String {
        var out = ""
        for u in message.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.properties.generalCategory == .control || u == "\u{2028}" || u == "\u{2029}" {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// A short, lower-case reason for a swift-protobuf decoding error.
    static func describe(_ error: Error) -> String {
        switch error {
        case BinaryDecodingError.truncated: return "the data is truncated"
        case BinaryDecodingError.malformedProtobuf: return "malformed protobuf data"
        case BinaryDecodingError.invalidUTF8: return "a string is not valid UTF-8"
        case BinaryDecodingError.trailingGarbage: return "trailing data after the message"
        case BinaryDecodingError.messageDepthLimit: return "messages are nested too deeply"
        default: return "\(error)"
        }
    }
}
