// JSONValue: a typed JSON tree (ints stay ints, bools stay bools) with a deterministic writer.

/// A JSON value. Integers and floats are distinct, so `1` and `1.0` and `true` never blur.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Keys are written sorted.
    case object([String: JSONValue])

    /// A scalar as JSON (`.int` stays an integer).
    public init(_ s: Scalar) {
        switch s {
        case .int(let i): self = .int(i)
        case .float(let f): self = .double(f)
        }
    }

    /// The deterministic text: keys sorted, two-space indentation for objects, arrays of scalars on one
    /// line, floats always with a decimal point or exponent (`32.0`), non-finite floats as `null`, and a
    /// trailing newline at top level.
    public func serialized() -> String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    /// Compact single-line form, for messages.
    public var compact: String {
        switch self {
        case .array(let xs): return "[" + xs.map(\.compact).joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { "\(Self.quote($0)): \(o[$0]!.compact)" }.joined(separator: ", ") + "}"
        default:
            var s = ""
            write(to: &s, indent: 0)
            return s
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? Scalar.float(d).description : "null"
        case .string(let s): out += Self.quote(s)
        case .array(let xs):
            if xs.allSatisfy(\.isScalar) {
                out += "[" + xs.map(\.compact).joined(separator: ", ") + "]"
                return
            }
            let pad = String(repeating: " ", count: indent + 2)
            out += "[\n"
            for (i, x) in xs.enumerated() {
                out += pad
                x.write(to: &out, indent: indent + 2)
                out += i + 1 < xs.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            let pad = String(repeating: " ", count: indent + 2)
            out += "{\n"
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                out += pad + Self.quote(k) + ": "
                o[k]!.write(to: &out, indent: indent + 2)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    /// A JSON string literal with the required escapes.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// What kind of JSON value this is, for messages: `a string`, `an array`.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
