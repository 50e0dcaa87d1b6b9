// JSONParser: a small strict JSON reader that keeps integers exact and remembers where each key was.

/// Parses JSON text into ``JSONValue``, recording the location of every member key of the top-level
/// object so that errors about a label point at the line that wrote it.
struct JSONParser {
    private let bytes: [UInt8]
    private let file: String
    private var pos = 0
    private var line = 1
    private var lineStart = 0
    /// Location of each top-level key, filled while parsing.
    private(set) var keyLocations: [String: SourceLocation] = [:]

    init(_ text: String, file: String) {
        self.bytes = Array(text.utf8)
        self.file = file
    }

    /// Parses one JSON value followed only by whitespace.
    mutating func parse() throws -> JSONValue {
        skipSpace()
        let v = try value(depth: 0)
        skipSpace()
        if pos < bytes.count { throw error("invalid JSON: unexpected text after the value") }
        return v
    }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: pos - lineStart + 1) }

    private func error(_ message: String) -> DiagnosticError {
        DiagnosticError(Diagnostic(.error, at: location, message))
    }

    private mutating func skipSpace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: "\n"): pos += 1; line += 1; lineStart = pos
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): pos += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 256 else { throw error("invalid JSON: nested too deeply") }
        guard pos < bytes.count else { throw error("invalid JSON: unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("invalid JSON: unexpected character '\(Character(Unicode.Scalar(bytes[pos])))'")
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count, Array(bytes[pos..<pos + w.count]) == w else {
            throw error("invalid JSON: expected '\(word)'")
        }
        pos += w.count
    }

    private mutating func object(depth: Int) throws -> JSONValue {
        pos += 1
        var out: [String: JSONValue] = [:]
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(out) }
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("invalid JSON: expected a key string") }
            let keyLoc = location
            let key = try string()
            if out[key] != nil { throw DiagnosticError(Diagnostic(.error, at: keyLoc, "duplicate key '\(key)' in JSON object")) }
            if depth == 0 { keyLocations[key] = keyLoc }
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("invalid JSON: expected ':' after key '\(key)'") }
            pos += 1
            skipSpace()
            out[key] = try value(depth: depth + 1)
            skipSpace()
            guard pos < bytes.count else { throw error("invalid JSON: unexpected end of input in an object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(out) }
            throw error("invalid JSON: expected ',' or '}' in an object")
        }
    }

    private mutating func array(depth: Int) throws -> JSONValue {
        pos += 1
        var out: [JSONValue] = []
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(out) }
        while true {
            skipSpace()
            out.append(try value(depth: depth + 1))
            skipSpace()
            guard pos < bytes.count else { throw error("invalid JSON: unexpected end of input in an array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(out) }
            throw error("invalid JSON: expected ',' or ']' in an array")
        }
    }

    private mutating func string() throws -> String {
        pos += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() { if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw = [] } }
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; flush(); return String(scalars) }
            if b < 0x20 { throw error("invalid JSON: control character in a string") }
            if b != UInt8(ascii: "\\") { raw.append(b); pos += 1; continue }
            flush()
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), pos + 1 < bytes.count,
                   bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid JSON: bad surrogate pair") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(code) else { throw error("invalid JSON: bad \\u escape") }
                scalars.append(u)
            default: throw error("invalid JSON: bad escape in a string")
            }
        }
        throw error("invalid JSON: unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16) else {
            throw error("invalid JSON: bad \\u escape")
        }
        pos += 4
        return v
    }

    private mutating func number() throws -> JSONValue {
        let start = pos
        var isFloat = false
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        while pos < bytes.count {
            let b = bytes[pos]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { pos += 1 }
            else if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { isFloat = true; pos += 1 }
            else if (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) && isFloat { pos += 1 }
            else { break }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        if !isFloat, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw error("invalid JSON: bad number '\(text)'") }
        return .double(d)
    }
}
