import Foundation

/// A bar chart drawn as inline SVG, so a report is one file that needs no script, no font
/// and no network to show or print. Columns suit a year's months; rows suit named groups
/// (units, topics), whose names are long.
public struct SVGBarChart: Sendable, Hashable {
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double
        /// What is written at the bar's end (`12`, `1 250,00 €`, `4,5`).
        public var valueText: String

        public init(label: String, value: Double, valueText: String) {
            self.label = label
            self.value = value
            self.valueText = valueText
        }
    }

    public enum Layout: Sendable, Hashable {
        case columns, rows
    }

    /// What the chart shows, read out by screen readers (`<title>`).
    public var title: String
    public var bars: [Bar]
    public var layout: Layout
    /// The value a full bar stands for; the largest bar's by default (ratings use 5).
    public var maximum: Double?

    public static let width = 640
    /// How many characters of a row's label fit beside its bar; longer ones end in "…" and
    /// show whole on hover (`<title>`) and in the table under the chart.
    static let labelCharacters = 32

    public init(title: String, bars: [Bar], layout: Layout, maximum: Double? = nil) {
        self.title = title
        self.bars = bars
        self.layout = layout
        self.maximum = maximum
    }

    /// The largest value a bar is scaled to; never zero, so an empty year draws empty bars.
    var scale: Double {
        let largest = bars.map(\.value).filter(\.isFinite).max() ?? 0
        let top = Swift.max(maximum ?? largest, largest)
        return top > 0 ? top : 1
    }

    /// The fraction of the full length a bar takes, 0…1 whatever its value.
    func share(_ bar: Bar) -> Double {
        guard bar.value.isFinite, bar.value > 0 else { return 0 }
        return Swift.min(bar.value / scale, 1)
    }

    public func svg() -> String {
        switch layout {
        case .columns: columns()
        case .rows: rows()
        }
    }

    private func open(height: Int) -> String {
        let name = Markup.escape(title)
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"\(name)\" "
            + "viewBox=\"0 0 \(Self.width) \(height)\" width=\"\(Self.width)\" height=\"\(height)\">"
            + "<title>\(name)</title>"
    }

    private func columns() -> String {
        let height = 240
        let top = 24.0
        let baseline = 200.0
        let left = 8.0
        let slot = (Double(Self.width) - 2 * left) / Double(Swift.max(bars.count, 1))
        let barWidth = slot * 0.68
        var parts = [open(height: height)]
        for (index, bar) in bars.enumerated() {
            let length = (baseline - top) * share(bar)
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            let middle = left + slot * Double(index) + slot / 2
            parts.append(
                "<g><title>\(Markup.escape("\(bar.label): \(bar.valueText)"))</title>"
                    + "<rect class=\"bar\" x=\"\(Self.number(x))\" y=\"\(Self.number(baseline - length))\" "
                    + "width=\"\(Self.number(barWidth))\" height=\"\(Self.number(length))\"/>"
                    + "<text class=\"value\" x=\"\(Self.number(middle))\" y=\"\(Self.number(baseline - length - 6))\" "
                    + "text-anchor=\"middle\">\(Markup.escape(bar.valueText))</text>"
                    + "<text class=\"label\" x=\"\(Self.number(middle))\" y=\"\(Self.number(baseline + 20))\" "
                    + "text-anchor=\"middle\">\(Markup.escape(Self.shortened(bar.label, to: 8)))</text></g>")
        }
        parts.append(
            "<line class=\"axis\" x1=\"\(Self.number(left))\" y1=\"\(Self.number(baseline))\" "
                + "x2=\"\(Self.number(Double(Self.width) - left))\" y2=\"\(Self.number(baseline))\"/>")
        parts.append("</svg>")
        return parts.joined()
    }

    private func rows() -> String {
        let rowHeight = 26.0
        let labelWidth = 270.0
        let valueWidth = 100.0
        let length = Double(Self.width) - labelWidth - valueWidth - 8
        let height = Int(rowHeight * Double(Swift.max(bars.count, 1))) + 8
        var parts = [open(height: height)]
        for (index, bar) in bars.enumerated() {
            let y = 4 + rowHeight * Double(index)
            let barLength = length * share(bar)
            parts.append(
                "<g><title>\(Markup.escape("\(bar.label): \(bar.valueText)"))</title>"
                    + "<text class=\"label\" x=\"\(Self.number(labelWidth - 8))\" y=\"\(Self.number(y + 17))\" "
                    + "text-anchor=\"end\">\(Markup.escape(Self.shortened(bar.label, to: Self.labelCharacters)))</text>"
                    + "<rect class=\"bar\" x=\"\(Self.number(labelWidth))\" y=\"\(Self.number(y + 3))\" "
                    + "width=\"\(Self.number(barLength))\" height=\"\(Self.number(rowHeight - 8))\"/>"
                    + "<text class=\"value\" x=\"\(Self.number(labelWidth + barLength + 6))\" y=\"\(Self.number(y + 17))\">"
                    + "\(Markup.escape(bar.valueText))</text></g>")
        }
        parts.append(
            "<line class=\"axis\" x1=\"\(Self.number(labelWidth))\" y1=\"0\" x2=\"\(Self.number(labelWidth))\" "
                + "y2=\"\(height)\"/>")
        parts.append("</svg>")
        return parts.joined()
    }

    /// `12.5`, `0`: SVG lengths with at most one decimal, whatever the locale.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }

    /// The label cut to `count` characters (grapheme clusters, so no letter is split).
    static func shortened(_ label: String, to count: Int) -> String {
        label.count <= count ? label : String(label.prefix(Swift.max(count - 1, 1))) + "…"
    }
}

/// Escaping for text put into HTML and SVG: in element content and in quoted attributes.
public enum Markup {
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            // Control characters (but line breaks and tabs) have no place in a page: a
            // stored text that holds one shows a replacement character instead.
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
