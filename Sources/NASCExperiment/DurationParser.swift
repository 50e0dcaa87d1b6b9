// DurationParser: reads `--max-duration` values such as `90`, `30s`, `10m`, `1.5h`, `2d`.

/// Parses durations for the command line.
public enum DurationParser {
    /// Seconds for `text`: a positive number with an optional unit `s`, `m`, `h` or `d` (default seconds);
    /// `nil` if it is not one.
    public static func seconds(_ text: String) -> Double? {
        var body = Substring(text)
        var scale = 1.0
        if let last = body.last, let s = ["s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0][String(last)] {
            scale = s
            body = body.dropLast()
        }
        guard let v = Double(body), v.isFinite, v > 0, (v * scale).isFinite else { return nil }
        return v * scale
    }

    /// A short human form: `45s`, `10m`, `1h30m`, `2.5s`.
    public static func describe(_ seconds: Double) -> String {
        if seconds < 60 {
            return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format1(seconds)) + "s"
        }
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 { out += "\(s)s" }
        return out
    }

    static func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
