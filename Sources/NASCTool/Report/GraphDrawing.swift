// GraphDrawing: draws a graph as inline SVG with a layered layout (layers by longest path from the inputs, order
// within a layer by the mean position of predecessors), edges optionally weighted (thickness = probability).
import Foundation
import NASCIR

/// A graph to draw: boxes and directed edges.
struct GraphDrawing {
    enum Kind { case input, op, candidate, merge, output }
    struct Box { var label: String; var kind: Kind; var title: String }
    struct Arrow { var from: Int; var to: Int; var weight: Double?; var title: String? }

    var boxes: [Box] = []
    var arrows: [Arrow] = []

    mutating func add(_ label: String, _ kind: Kind, title: String? = nil) -> Int {
        boxes.append(Box(label: label, kind: kind, title: title ?? label))
        return boxes.count - 1
    }

    /// The graph `g` of a space; each choice's candidates are drawn as boxes between the choice's inputs and a merge
    /// point, with edge thickness from `probabilities[label]` when given (input choices: the edges from each input).
    static func space(_ g: Graph, probabilities: [String: [Double]] = [:]) -> GraphDrawing {
        var d = GraphDrawing()
        var ids: [String: Int] = [:]
        for i in g.inputs { ids[i.name] = d.add("input \(i.name)", .input, title: "%\(i.name): \(i.type)") }
        for n in g.nodes {
            let sources = n.inputs.compactMap { ids[$0.node] }
            switch n.op {
            case .layerChoice(let c):
                let p = probabilities[c.label]
                var candidates: [(box: Int, weight: Double?, title: String)] = []
                for (k, cand) in c.candidates.enumerated() {
                    let w = p.flatMap { k < $0.count ? $0[k] : nil }
                    let title = "\(c.label)/\(cand.name)" + (w.map { String(format: ": %.3f", $0) } ?? "")
                    let box = d.add(cand.name, .candidate, title: title)
                    for s in sources { d.arrows.append(Arrow(from: s, to: box, weight: w, title: title)) }
                    candidates.append((box, w, title))
                }
                // The merge point comes after its candidates (boxes are kept in topological order).
                let merge = d.add(c.label, .merge, title: "layer_choice \"\(c.label)\"")
                for c in candidates { d.arrows.append(Arrow(from: c.box, to: merge, weight: c.weight, title: c.title)) }
                ids[n.name] = merge
            case .inputChoice(let c):
                let merge = d.add(c.label, .merge, title: "input_choice \"\(c.label)\" (\(c.reduction.rawValue))")
                let p = probabilities[c.label]
                for (k, s) in sources.enumerated() {
                    let w = p.flatMap { k < $0.count ? $0[k] : nil }
                    d.arrows.append(Arrow(from: s, to: merge, weight: w, title: "\(c.label)/\(k)" + (w.map { String(format: ": %.3f", $0) } ?? "")))
                }
                ids[n.name] = merge
            default:
                let box = d.add(shortLabel(n.op), .op, title: "%\(n.name) = \(n.op.kind.rawValue)")
                for s in sources { d.arrows.append(Arrow(from: s, to: box, weight: nil, title: nil)) }
                ids[n.name] = box
            }
        }
        for o in g.outputs {
            let out = d.add("output", .output)
            if let s = ids[o.node] { d.arrows.append(Arrow(from: s, to: out, weight: nil, title: nil)) }
        }
        return d
    }

    /// `conv2d 16 3x3`, `linear 10`, `relu`: the op and its most telling attributes.
    static func shortLabel(_ op: Op) -> String {
        var parts = [op.kind.rawValue]
        for a in op.attributes where ["out", "kernel", "stride", "label"].contains(a.name) {
            if case .expr(let e) = a.value { parts.append(a.name == "out" ? "\(e)" : "\(a.name)=\(e)") }
        }
        return parts.joined(separator: " ")
    }

    /// The layer of every box: the longest path from a box without predecessors.
    func layers() -> [Int] {
        var layer = Array(repeating: 0, count: boxes.count)
        var preds = Array(repeating: [Int](), count: boxes.count)
        for a in arrows { preds[a.to].append(a.from) }
        // Boxes are added in topological order (a node after its inputs), so one pass suffices.
        for i in boxes.indices { layer[i] = preds[i].map { layer[$0] + 1 }.max() ?? 0 }
        return layer
    }

    /// The SVG element; `maxWidth` caps the displayed width (the drawing scales down, never up).
    func render(aria: String) -> String {
        let layer = layers()
        let nLayers = (layer.max() ?? 0) + 1
        var rows = Array(repeating: [Int](), count: nLayers)
        for i in boxes.indices { rows[layer[i]].append(i) }
        func boxWidth(_ i: Int) -> Double {
            switch boxes[i].kind {
            case .merge: return 14
            default: return Double(boxes[i].label.count) * 6.6 + 16
            }
        }
        let gap = 14.0, rowHeight = 58.0, boxHeight = 22.0
        var x = Array(repeating: 0.0, count: boxes.count)
        var preds = Array(repeating: [Int](), count: boxes.count)
        for a in arrows { preds[a.to].append(a.from) }
        var widest = 0.0
        for r in 0..<nLayers {
            // Order by the mean x of predecessors (barycenter), keeping insertion order for ties.
            if r > 0 {
                rows[r] = rows[r].enumerated().sorted { a, b in
                    func center(_ i: Int) -> Double { preds[i].isEmpty ? Double.infinity : preds[i].map { x[$0] }.reduce(0, +) / Double(preds[i].count) }
                    let ca = center(a.element), cb = center(b.element)
                    return ca == cb ? a.offset < b.offset : ca < cb
                }.map(\.element)
            }
            var cx = 0.0
            for i in rows[r] { x[i] = cx + boxWidth(i) / 2; cx += boxWidth(i) + gap }
            widest = max(widest, cx - gap)
        }
        // Center each row.
        for r in 0..<nLayers {
            let rowWidth = rows[r].map(boxWidth).reduce(0, +) + gap * Double(max(rows[r].count - 1, 0))
            let shift = (widest - rowWidth) / 2
            for i in rows[r] { x[i] += shift }
        }
        let margin = 10.0
        let width = widest + 2 * margin, height = Double(nLayers) * rowHeight + margin
        func y(_ i: Int) -> Double { margin + Double(layer[i]) * rowHeight + boxHeight / 2 }
        var s = "<svg class=\"graph\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-label=\"\(HTML.escape(aria))\">"
        s += "<defs><marker id=\"arrowhead\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#666\"/></marker></defs>"
        for a in arrows {
            let x1 = margin + x[a.from], y1 = y(a.from) + (boxes[a.from].kind == .merge ? 7 : boxHeight / 2)
            let x2 = margin + x[a.to], y2 = y(a.to) - (boxes[a.to].kind == .merge ? 7 : boxHeight / 2)
            let mid = (y1 + y2) / 2
            let w = a.weight.map { 0.6 + 7 * max(0, min(1, $0)) } ?? 1.2
            let color = a.weight == nil ? "#666" : "#c0392b"
            let opacity = a.weight.map { 0.25 + 0.75 * max(0, min(1, $0)) } ?? 0.9
            let t = a.title.map { "<title>\(HTML.escape($0))</title>" } ?? ""
            s += "<path d=\"M\(f(x1)),\(f(y1)) C\(f(x1)),\(f(mid)) \(f(x2)),\(f(mid)) \(f(x2)),\(f(y2))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(f(w))\" stroke-opacity=\"\(f(opacity))\"\(a.weight == nil ? " marker-end=\"url(#arrowhead)\"" : "")>\(t)</path>"
        }
        for (i, b) in boxes.enumerated() {
            let cx = margin + x[i], cy = y(i), w = boxWidth(i)
            let title = "<title>\(HTML.escape(b.title))</title>"
            switch b.kind {
            case .merge:
                s += "<g><circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"7\" fill=\"#fff\" stroke=\"#1f4e8c\" stroke-width=\"1.5\"/>\(title)</g>"
                s += "<text x=\"\(f(cx + 10))\" y=\"\(f(cy + 4))\" class=\"glabel\">\(HTML.escape(b.label))</text>"
            default:
                let fill: String
                switch b.kind {
                case .input, .output: fill = "#e8f1e4"
                case .candidate: fill = "#fdf2e9"
                default: fill = "#eef2fa"
                }
                s += "<g><rect x=\"\(f(cx - w / 2))\" y=\"\(f(cy - boxHeight / 2))\" width=\"\(f(w))\" height=\"\(f(boxHeight))\" rx=\"4\" fill=\"\(fill)\" stroke=\"#7a8aa8\"/>"
                s += "<text x=\"\(f(cx))\" y=\"\(f(cy + 4))\" text-anchor=\"middle\" class=\"gnode\">\(HTML.escape(b.label))</text>\(title)</g>"
            }
        }
        return s + "</svg>"
    }
}
