// HTMLReport: `nasc experiment report DIR -o report.html`, one self-contained HTML page with inline SVG charts
// (no script, no network: a Content-Security-Policy forbids loading anything).
import Foundation
import NASCIR

/// Renders the report of a multi-trial or one-shot experiment directory.
public enum HTMLReport {
    /// The report of `directory` as HTML text. Errors are located one-line diagnostics.
    public static func render(directory: String) throws -> String {
        let d = try ReportData.load(directory)
        var body = "<h1>\(HTML.escape(d.title))</h1>\n<p class=\"dir\">\(HTML.escape(d.directory))</p>\n"
        body += "<table class=\"facts\">" + d.facts.map { "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined() + "</table>\n"
        if d.oneShot {
            body += oneShotSections(d)
        } else {
            body += multiTrialSections(d)
        }
        body += bestSection(d)
        return page(title: d.title, body: body)
    }

    /// Writes the report to `output` (atomically); a located error for an unwritable path.
    public static func write(directory: String, to output: String) throws {
        try OutputFile.write(try render(directory: directory), to: output)
    }

    static func section(_ id: String, _ title: String, _ note: String, _ content: String) -> String {
        "<section id=\"\(id)\"><h2>\(HTML.escape(title))</h2><p class=\"note\">\(HTML.escape(note))</p>\(content)</section>\n"
    }

    // MARK: - Multi-trial

    static func multiTrialSections(_ d: ReportData) -> String {
        var out = ""
        let ok = d.trials.filter { $0.metric != nil }
        // Metric per trial with the best so far.
        var p = SVGPlot(xs: d.trials.map { Double($0.id) }, ys: ok.compactMap(\.metric))
        p.xLabel = "trial"; p.yLabel = "final metric"; p.integerX = true
        var best = -Double.infinity
        var bestLine: [(Double, Double)] = []
        for t in d.trials { if let m = t.metric { best = max(best, m); bestLine.append((Double(t.id), best)) } }
        p.line(bestLine, color: "#e15759", width: 2, step: true, title: "best so far")
        p.points(ok.map { (Double($0.id), $0.metric!) }, color: HTML.color(0), titles: ok.map { "trial \($0.id): \(fmt($0.metric!))" })
        p.legend = [(HTML.color(0), "trial metric"), ("#e15759", "best so far")]
        let failed = d.trials.count - ok.count
        out += section("metric", "Metric per trial", "Each succeeded trial's final metric in proposal order; the red step line is the best so far."
                       + (failed > 0 ? " \(failed) trial(s) without a metric are not drawn." : ""), p.render(aria: "metric per trial"))

        // Epoch curves.
        let curves = d.trials.filter { !$0.curve.isEmpty }
        if !curves.isEmpty {
            var c = SVGPlot(xs: curves.flatMap { $0.curve.map { Double($0.epoch) } }, ys: curves.flatMap { $0.curve.map(\.metric) })
            c.xLabel = "epoch"; c.yLabel = "metric"; c.integerX = true
            let bestID = ok.max { ($0.metric ?? 0, -$0.id) < ($1.metric ?? 0, -$1.id) }?.id
            for t in curves where t.id != bestID {
                c.line(t.curve.map { (Double($0.epoch), $0.metric) }, color: HTML.color(0), width: 1, opacity: 0.35, title: "trial \(t.id)")
            }
            if let b = curves.first(where: { $0.id == bestID }) {
                c.line(b.curve.map { (Double($0.epoch), $0.metric) }, color: "#e15759", width: 2.5, title: "best: trial \(b.id)")
            }
            c.legend = [(HTML.color(0), "trials"), ("#e15759", "best trial")]
            out += section("curves", "Epoch curves", "The metric after each epoch of every trial (latest attempt).", c.render(aria: "epoch curves"))
        }

        // Accuracy against parameters and FLOPs, Pareto front marked.
        var scatter = ""
        for (name, key) in [("parameters", \ReportData.Trial.params), ("FLOPs per sample", \ReportData.Trial.flops)] {
            let pts = ok.compactMap { t in t[keyPath: key].map { (Double($0), t.metric!, t.id) } }
            guard !pts.isEmpty else { continue }
            var s = SVGPlot(xs: pts.map(\.0), ys: pts.map(\.1), xLog: (pts.map(\.0).max() ?? 1) / max(pts.map(\.0).min() ?? 1, 1) > 20)
            s.xLabel = name; s.yLabel = "final metric"
            let front = paretoFront(pts.map { ($0.0, $0.1) })
            s.points(pts.map { ($0.0, $0.1) }, color: HTML.color(0), titles: pts.map { "trial \($0.2): \(fmt($0.1)), \(Int($0.0)) \(name)" })
            s.line(front.map { pts[$0] }.map { ($0.0, $0.1) }, color: "#e15759", width: 1.5, step: true, title: "Pareto front")
            s.points(front.map { pts[$0] }.map { ($0.0, $0.1) }, color: "#e15759", radius: 6, titles: front.map { "Pareto: trial \(pts[$0].2)" }, hollow: true)
            s.legend = [(HTML.color(0), "trial"), ("#e15759", "Pareto front (\(front.count))")]
            scatter += s.render(aria: "metric against \(name)")
        }
        if !scatter.isEmpty {
            out += section("pareto", "Accuracy against size", "Circled trials are Pareto-optimal: no other trial is both at least as accurate and at most as large.",
                            "<div class=\"row\">\(scatter)</div>")
        }

        // Importance: each candidate's mean metric and count.
        if let ss = d.searchSpace {
            var tables = ""
            for dec in ss.decisions {
                let names = DecisionNames.candidates(dec)
                var sum = Array(repeating: 0.0, count: names.count), count = Array(repeating: 0, count: names.count)
                for t in ok {
                    guard let v = t.architecture?[dec.label] else { continue }
                    for k in DecisionNames.chosenIndices(v, of: dec) where k < names.count { sum[k] += t.metric!; count[k] += 1 }
                }
                let means = names.indices.map { count[$0] > 0 ? sum[$0] / Double(count[$0]) : nil }
                tables += importanceTable(dec.label, names: names, values: means, counts: count, valueName: "mean metric")
            }
            out += section("importance", "Importance of each decision", "Per decision, each candidate's mean final metric over the succeeded trials that chose it, and how many did.",
                           "<div class=\"grid\">\(tables)</div>")
        }
        return out
    }

    /// Indices of the Pareto-optimal points (smaller x and larger y are better), sorted by x.
    static func paretoFront(_ pts: [(Double, Double)]) -> [Int] {
        let order = pts.indices.sorted { pts[$0].0 != pts[$1].0 ? pts[$0].0 < pts[$1].0 : pts[$0].1 > pts[$1].1 }
        var front: [Int] = []
        var best = -Double.infinity
        for i in order where pts[i].1 > best { front.append(i); best = pts[i].1 }
        return front
    }

    static func importanceTable(_ label: String, names: [String], values: [Double?], counts: [Int]?, valueName: String) -> String {
        let present = values.compactMap { $0 }
        // Probabilities from 0; metrics from a little below the smallest mean, so differences show.
        let mn = present.min() ?? 0, hi = present.max() ?? 1
        let lo = counts == nil ? 0 : (hi > mn ? mn - (hi - mn) * 0.3 : 0)
        var s = "<table class=\"imp\"><caption>\(HTML.escape(label))</caption><tr><th>candidate</th><th>\(valueName)</th>"
            + (counts == nil ? "" : "<th>count</th>") + "<th></th></tr>"
        let bestValue = present.max()
        for (k, n) in names.enumerated() {
            let v = values[k]
            let frac = v.map { hi > lo ? ($0 - lo) / (hi - lo) : 1 } ?? 0
            let cls = v != nil && v == bestValue ? " class=\"top\"" : ""
            s += "<tr\(cls)><td>\(HTML.escape(n))</td><td>\(v.map(fmt) ?? "-")</td>" + (counts.map { "<td>\($0[k])</td>" } ?? "")
                + "<td><svg width=\"120\" height=\"10\" role=\"img\" aria-label=\"bar\"><rect width=\"\(f(max(1, 120 * frac)))\" height=\"10\" fill=\"\(v == bestValue ? "#e15759" : "#4e79a7")\"/></svg></td></tr>"
        }
        return s + "</table>"
    }

    // MARK: - One-shot

    static func oneShotSections(_ d: ReportData) -> String {
        var out = ""
        if !d.epochs.isEmpty {
            let xs = d.epochs.map { Double($0.epoch) }
            var loss = SVGPlot(xs: xs, ys: d.epochs.flatMap { [$0.trainLoss, $0.validLoss] }, yFloor: 0)
            loss.xLabel = "epoch"; loss.yLabel = "loss"; loss.integerX = true
            loss.line(d.epochs.map { (Double($0.epoch), $0.trainLoss) }, color: HTML.color(0), width: 2, title: "train loss")
            loss.line(d.epochs.map { (Double($0.epoch), $0.validLoss) }, color: HTML.color(1), width: 2, title: "valid loss")
            loss.legend = [(HTML.color(0), "train"), (HTML.color(1), "valid")]
            var acc = SVGPlot(xs: xs, ys: d.epochs.flatMap { [$0.trainAccuracy, $0.validAccuracy] })
            acc.xLabel = "epoch"; acc.yLabel = "accuracy"; acc.integerX = true
            acc.line(d.epochs.map { (Double($0.epoch), $0.trainAccuracy) }, color: HTML.color(0), width: 2, title: "train accuracy")
            acc.line(d.epochs.map { (Double($0.epoch), $0.validAccuracy) }, color: HTML.color(1), width: 2, title: "valid accuracy")
            acc.legend = [(HTML.color(0), "train"), (HTML.color(1), "valid")]
            out += section("curves", "Supernet training", "Supernet loss and accuracy per epoch.",
                           "<div class=\"row\">\(loss.render(aria: "supernet loss"))\(acc.render(aria: "supernet accuracy"))</div>")
        }
        let final = d.epochs.last?.probabilities ?? [:]
        if let root = d.space?.rootGraph {
            out += section("supernet", "Supernet at the final epoch",
                           "Every choice drawn with its candidates; an edge's thickness and opacity show the candidate's probability at the final epoch (hover for the value).",
                           "<div class=\"scroll\">\(GraphDrawing.space(root, probabilities: final).render(aria: "supernet"))</div>")
        }
        if let ss = d.searchSpace, !d.epochs.isEmpty {
            var charts = ""
            var tables = ""
            for dec in ss.decisions {
                guard let p = final[dec.label] else { continue }
                let names = DecisionNames.candidates(dec)
                var c = SVGPlot(xs: d.epochs.map { Double($0.epoch) }, ys: [0, 1])
                c.width = 360; c.height = 220
                c.xLabel = "epoch"; c.yLabel = "probability"; c.integerX = true
                for (k, n) in names.enumerated() {
                    c.line(d.epochs.map { (Double($0.epoch), ($0.probabilities[dec.label].flatMap { k < $0.count ? $0[k] : nil }) ?? .nan) },
                           color: HTML.color(k), width: 2, title: "\(dec.label)/\(n)")
                }
                c.legend = names.enumerated().map { (HTML.color($0.offset), $0.element) }
                charts += "<figure><figcaption>\(HTML.escape(dec.label))</figcaption>\(c.render(aria: "probabilities of \(dec.label)"))</figure>"
                tables += importanceTable(dec.label, names: names, values: names.indices.map { $0 < p.count ? p[$0] : nil }, counts: nil,
                                          valueName: "probability")
            }
            out += section("evolution", "Choice probabilities over epochs", "Each decision's candidate probabilities after every epoch.",
                           "<div class=\"grid\">\(charts)</div>")
            out += section("importance", "Importance of each decision", "Each candidate's probability at the final epoch.", "<div class=\"grid\">\(tables)</div>")
        }
        return out
    }

    // MARK: - Best architecture

    static func bestSection(_ d: ReportData) -> String {
        guard let json = d.bestJSON else { return "" }
        var content = ""
        if let space = d.space, let arch = d.best, let sub = try? ArchitectureTraining.subnet(space, arch), let g = sub.rootGraph {
            content += "<div class=\"scroll\">\(GraphDrawing.space(g).render(aria: "best architecture"))</div>"
        }
        content += "<pre>\(HTML.escape(json))</pre>"
        return section("best", "Best architecture", "The chosen subnet, flattened, and its NNI JSON.", content)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.4f", v) }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>nasc report: \(HTML.escape(title))</title>
        <style>
        body { font: 14px/1.4 "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px; color: #222; max-width: 1280px; }
        h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 4px; border-bottom: 1px solid #ddd; }
        .dir { color: #666; margin: 0 0 10px; font-family: monospace; }
        .note { color: #555; margin: 2px 0 8px; }
        table.facts th { text-align: left; padding-right: 14px; color: #555; font-weight: normal; }
        .row, .grid { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 0; } figcaption { font-weight: bold; font-size: 13px; }
        table.imp { border-collapse: collapse; font-size: 12px; } table.imp caption { text-align: left; font-weight: bold; }
        table.imp td, table.imp th { padding: 1px 8px 1px 0; text-align: left; } table.imp tr.top td { font-weight: bold; }
        .scroll { overflow-x: auto; border: 1px solid #eee; }
        pre { background: #f6f6f8; padding: 8px; font-size: 12px; max-height: 300px; overflow: auto; }
        svg text.tick { font-size: 10px; fill: #555; } svg text.axis { font-size: 12px; fill: #333; }
        svg text.legend { font-size: 11px; fill: #333; } svg text.gnode { font-size: 11px; fill: #123; }
        svg text.glabel { font-size: 10px; fill: #1f4e8c; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
