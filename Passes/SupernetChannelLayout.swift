// SupernetChannelLayout: which channels of a supernet value are live for each value-choice combination and which
// are masked to zero (consecutive segments along dimension 1, so a `concat` of masked values keeps its masks).

/// The channels (dimension 1) of a supernet value, as consecutive segments. In a masked segment only the leading
/// `widths[k]` of its `channels` are live for combination `k` of its `labels` (row-major, as the value-choice masks);
/// the rest are exactly zero. An unmasked segment (no labels) is always live. A width-choice `conv2d` gives one
/// masked segment; `concat` along the channels joins its inputs' segments.
struct ChannelLayout: Hashable {
    /// One run of channels.
    struct Segment: Hashable {
        /// The value-choice labels the live width depends on (empty: every channel is live).
        var labels: [String]
        /// The live width per combination of `labels` (one entry when unmasked).
        var widths: [Int]
        /// The segment's channel count in the supernet (the largest width).
        var channels: Int
    }

    var segments: [Segment]

    /// A single segment of `channels` channels masked to the widths of a value choice.
    init(labels: [String], widths: [Int], channels: Int) {
        segments = [Segment(labels: labels, widths: widths.map { min($0, channels) }, channels: channels)]
    }

    /// Segments as given.
    init(segments: [Segment]) { self.segments = segments }

    /// An always-live run of `channels` channels.
    static func unmasked(_ channels: Int) -> Segment { Segment(labels: [], widths: [channels], channels: channels) }

    /// Total channel count.
    var channels: Int { segments.reduce(0) { $0 + $1.channels } }

    /// The labels of every masked segment, first use first.
    var labels: [String] {
        var seen: Set<String> = [], out: [String] = []
        for s in segments { for l in s.labels where seen.insert(l).inserted { out.append(l) } }
        return out
    }

    /// The labels quoted for messages: `'w', 'e'`.
    var quotedLabels: String { labels.map { "'" + $0 + "'" }.joined(separator: ", ") }

    /// Each segment with its first channel.
    var placed: [(offset: Int, segment: Segment)] {
        var offset = 0
        return segments.map { s in defer { offset += s.channels }; return (offset, s) }
    }
}
