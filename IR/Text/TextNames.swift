// TextNames: which names the text IR prints bare and how it quotes the others.

/// Name rules shared by the text IR printer and parser.
enum TextNames {
    /// True for `[A-Za-z_][A-Za-z0-9_.]*`: names printed without quotes after `%`, `@` or in candidate lists.
    static func isIdentifier(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let f = u.first, isIdentifierStart(f) else { return false }
        return u.allSatisfy(isIdentifierChar)
    }

    /// `name` when it is an identifier, otherwise a quoted string literal.
    static func quoteIfNeeded(_ s: String) -> String {
        isIdentifier(s) ? s : ValueExpr.quote(s)
    }

    static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func isIdentifierChar(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || (b >= 0x30 && b <= 0x39) || b == 0x2E
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(word, c)
            if let b = best, b.1 <= d { continue }
            best = (c, d)
        }
        guard let (name, d) = best, d <= max(2, word.count / 3) else { return nil }
        return name
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }
}
