// ProxyMath: the small dense linear algebra of the zero-cost proxies (log-determinant, correlation spectrum), in Double.
import Foundation

/// Numerics of ``ZeroCostScorer`` on small `n x n` matrices (n = the batch size).
enum ProxyMath {
    /// `log |det A|` of a row-major `n x n` matrix by LU with partial pivoting (NumPy's `slogdet(A)[1]`); `-inf` when
    /// `A` is singular.
    static func logAbsDeterminant(_ a: [Double], _ n: Int) -> Double {
        var m = a
        var logDet = 0.0
        for c in 0..<n {
            var p = c
            for r in (c + 1)..<max(c + 1, n) where abs(m[r * n + c]) > abs(m[p * n + c]) { p = r }
            let pivot = m[p * n + c]
            if pivot == 0 || !pivot.isFinite { return pivot.isNaN ? .nan : -.infinity }
            if p != c { for k in 0..<n { m.swapAt(p * n + k, c * n + k) } }
            logDet += Foundation.log(abs(pivot))
            for r in (c + 1)..<max(c + 1, n) {
                let f = m[r * n + c] / pivot
                if f == 0 { continue }
                for k in c..<n { m[r * n + k] -= f * m[c * n + k] }
            }
        }
        return logDet
    }

    /// The eigenvalues of a symmetric row-major `n x n` matrix (cyclic Jacobi rotations), ascending.
    static func symmetricEigenvalues(_ a: [Double], _ n: Int) -> [Double] {
        var m = a
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += m[i * n + j] * m[i * n + j] } }
            if off < 1e-22 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    let apq = m[p * n + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let kp = m[k * n + p], kq = m[k * n + q]
                        m[k * n + p] = c * kp - s * kq
                        m[k * n + q] = s * kp + c * kq
                    }
                    for k in 0..<n {
                        let pk = m[p * n + k], qk = m[q * n + k]
                        m[p * n + k] = c * pk - s * qk
                        m[q * n + k] = s * pk + c * qk
                    }
                }
            }
        }
        return (0..<n).map { m[$0 * n + $0] }.sorted()
    }

    /// jacob_cov's score of the per-sample Jacobians (`rows` rows, row-major): the eigenvalues `v` of their correlation
    /// matrix (NumPy's `corrcoef`), `-sum(log(v + 1e-5) + 1 / (v + 1e-5))`. NaN when a row is constant (its
    /// correlation is undefined) or an eigenvalue is below `-1e-5` (the logarithm is undefined).
    static func jacobianCovarianceScore(_ j: [Double], rows n: Int) -> Double {
        guard n > 1, j.count % n == 0, j.count > 0 else { return .nan }
        let d = j.count / n
        var z = [Double](repeating: 0, count: j.count)
        for r in 0..<n {
            let row = j[(r * d)..<((r + 1) * d)]
            let mean = row.reduce(0, +) / Double(d)
            let norm = row.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }.squareRoot()
            guard norm > 0, norm.isFinite else { return .nan }
            for k in 0..<d { z[r * d + k] = (j[r * d + k] - mean) / norm }
        }
        var corr = [Double](repeating: 0, count: n * n)
        for a in 0..<n {
            for b in a..<n {
                var s = 0.0
                for k in 0..<d { s += z[a * d + k] * z[b * d + k] }
                corr[a * n + b] = s; corr[b * n + a] = s
            }
        }
        let k = 1e-5
        var score = 0.0
        for v in symmetricEigenvalues(corr, n) {
            guard v + k > 0 else { return .nan }
            score -= Foundation.log(v + k) + 1 / (v + k)
        }
        return score
    }
}
