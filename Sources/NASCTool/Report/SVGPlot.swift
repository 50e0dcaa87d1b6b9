// SVGPlot: small inline-SVG charts for the HTML report (axes with ticks, points, lines, step lines, bars).
import Foundation

/// One chart: linear or log axes, then any number of marks, rendered as one `<svg>` element.
struct SVGPlot {
    var width = 560.0, height = 300.0
    var left = 62.0, right = 16.0, top = 30.0, bottom = 44.0
    /// Ticks on whole numbers only (epochs, trial ids).
    var integerX = false
    var xLabel = "", yLabel = ""
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>
    var xLog = false
    var marks: [String] = []
    var legend: [(color: String, text: String)] = []

    /// A plot covering the given data ranges (padded a little; a single value gets a unit-wide range).
    init(xs: [Double], ys: [Double], xLog: Bool = false, yFloor: Double? = nil) {
        self.xLog = xLog
        func range(_ v: [Double], log: Bool) -> ClosedRange<Double> {
            let f = v.filter { $0.isFinite && (!log || $0 > 0) }.map { log ? Foundation.log10($0) : $0 }
            guard var lo = f.min(), var hi = f.max() else { return 0...1 }
            if lo == hi { lo -= 0.5; hi += 0.5 }
            let pad = (hi - lo) * 0.05
            return (lo - pad)...(hi + pad)
        }
        xRange = range(xs, log: xLog)
        var y = range(ys, log: false)
        if let f = yFloor, y.lowerBound < f, (ys.min() ?? f) >= f { y = f...y.upperBound }
        yRange = y
    }

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func px(_ x: Double) -> Double {
        let v = xLog ? log10(max(x, 1e-300)) : x
        return left + (v - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }

    func py(_ y: Double) -> Double {
        top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight
    }

    /// Dots; `titles` become hover tooltips.
    mutating func points(_ pts: [(Double, Double)], color: String, radius: Double = 3.5, titles: [String] = [], hollow: Bool = false) {
        for (i, p) in pts.enumerated() where p.0.isFinite && p.1.isFinite {
            let title = i < titles.count ? "<title>\(HTML.escape(titles[i]))</title>" : ""
            let fill = hollow ? "fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"" : "fill=\"\(color)\""
            marks.append("<circle cx=\"\(f(px(p.0)))\" cy=\"\(f(py(p.1)))\" r=\"\(f(radius))\" \(fill)>\(title)</circle>")
        }
    }

    /// A polyline through the points in order.
    mutating func line(_ pts: [(Double, Double)], color: String, width w: Double = 1.5, opacity: Double = 1, step: Bool = false, title: String? = nil) {
        let finite = pts.filter { $0.0.isFinite && $0.1.isFinite }
        guard finite.count >= 2 else { if let p = finite.first { points([p], color: color, radius: 2) }; return }
        var coords: [String] = []
        for (i, p) in finite.enumerated() {
            if step, i > 0 { coords.append("\(f(px(p.0))),\(f(py(finite[i - 1].1)))") }
            coords.append("\(f(px(p.0))),\(f(py(p.1)))")
        }
        let t = title.map { "<title>\(HTML.escape($0))</title>" } ?? ""
        marks.append("<polyline points=\"\(coords.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(w))\" stroke-opacity=\"\(f(opacity))\">\(t)</polyline>")
    }

    /// Nice tick values over a range.
    static func ticks(_ r: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = r.upperBound - r.lowerBound
        guard span > 0, span.isFinite else { return [r.lowerBound] }
        let raw = span / Double(count)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        var v = ceil(r.lowerBound / step) * step
        var out: [Double] = []
        while v <= r.upperBound + step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 { return String(format: "%.3gM", v / 1e6) }
        if a >= 1e4 { return String(format: "%.3gk", v / 1e3) }
        if a >= 100 { return String(format: "%.0f", v) }
        return String(format: "%.3g", v)
    }

    /// The `<svg>` element.
    func render(aria: String) -> String {
        var s = "<svg class=\"plot\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(aria))\">"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"#fbfbfd\" stroke=\"#ccc\"/>"
        for t in Self.ticks(yRange) {
            let y = py(t)
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e6e6ee\"/>"
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\" class=\"tick\">\(Self.label(t))</text>"
        }
        var xTicks = Self.ticks(xRange)
        if xLog {
            // Powers of ten where the range spans at least two.
            let decades = Array(Int(ceil(xRange.lowerBound))...max(Int(ceil(xRange.lowerBound)), Int(floor(xRange.upperBound)))).map(Double.init)
            if decades.count >= 2 { xTicks = decades }
        } else if integerX {
            xTicks = xTicks.filter { $0 == $0.rounded() }
            if xTicks.count < 2 { xTicks = Array(Int(ceil(xRange.lowerBound))...max(Int(ceil(xRange.lowerBound)), Int(floor(xRange.upperBound)))).map(Double.init) }
        }
        for t in xTicks {
            let x = left + (t - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
            s += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight + 4))\" stroke=\"#888\"/>"
            s += "<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\" class=\"tick\">\(Self.label(xLog ? pow(10, t) : t))</text>"
        }
        s += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 6))\" text-anchor=\"middle\" class=\"axis\">\(HTML.escape(xLabel))</text>"
        s += "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">\(HTML.escape(yLabel))</text>"
        s += marks.joined()
        // The legend runs along the top margin, above the data.
        var lx = left
        for l in legend {
            let y = top - 10
            s += "<rect x=\"\(f(lx))\" y=\"\(f(y - 8))\" width=\"10\" height=\"10\" fill=\"\(l.color)\"/>"
            s += "<text x=\"\(f(lx + 14))\" y=\"\(f(y + 1))\" class=\"legend\">\(HTML.escape(l.text))</text>"
            lx += 14 + Double(l.text.count) * 6.2 + 14
        }
        return s + "</svg>"
    }
}

/// Number formatting for SVG attributes.
func f(_ v: Double) -> String { String(format: "%.1f", v) }

/// HTML text helpers.
enum HTML {
    static func escape(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }

    /// A categorical palette (color-blind friendly, Tableau 10).
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
    static func color(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }
}
