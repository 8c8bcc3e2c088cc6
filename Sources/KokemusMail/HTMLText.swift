import Foundation

/// Turns an HTML mail body into plain text: block elements become line breaks, quoted
/// blocks (`<blockquote>`) get `> ` so that quote stripping removes them, scripts and
/// styles vanish, entities are decoded.
public enum HTMLText {
    public static func text(from html: String) -> String {
        var output = ""
        var quoteDepth = 0
        var index = html.startIndex
        var skipping: String?
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<close].lowercased()
                let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber })
                let closing = tag.hasPrefix("/")
                index = html.index(after: close)
                if let skipped = skipping {
                    if closing && name == skipped { skipping = nil }
                    continue
                }
                switch name {
                case "script", "style", "head", "title":
                    if !closing { skipping = name }
                case "br":
                    newline(&output, quoteDepth)
                case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "ul", "ol":
                    newline(&output, quoteDepth)
                case "blockquote":
                    quoteDepth = max(0, quoteDepth + (closing ? -1 : 1))
                    newline(&output, quoteDepth)
                default:
                    break
                }
                continue
            }
            if skipping == nil {
                if character == "&", let semicolon = html[index...].prefix(10).firstIndex(of: ";") {
                    let entity = String(html[html.index(after: index)..<semicolon])
                    if let decoded = decodeEntity(entity) {
                        output += decoded
                        index = html.index(after: semicolon)
                        continue
                    }
                }
                if character.isNewline || character == "\t" {
                    if output.last != " " { output += " " }
                } else {
                    output.append(character)
                }
            }
            index = html.index(after: index)
        }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.allSatisfy { $0 == ">" || $0 == " " } ? "" : $0 }  // a quote marker with nothing after it
        // Collapse runs of blank lines left by nested blocks.
        var collapsed: [String] = []
        for line in lines where !(line.isEmpty && (collapsed.last?.isEmpty ?? true)) { collapsed.append(line) }
        return collapsed.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func newline(_ output: inout String, _ quoteDepth: Int) {
        output += "\n" + String(repeating: "> ", count: quoteDepth)
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "auml": "ä", "Auml": "Ä", "ouml": "ö", "Ouml": "Ö", "aring": "å", "Aring": "Å", "uuml": "ü", "Uuml": "Ü",
        "eacute": "é", "euro": "€", "ndash": "–", "mdash": "—", "hellip": "…", "copy": "©",
    ]

    private static func decodeEntity(_ entity: String) -> String? {
        if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
            return UInt32(entity.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init).map { String(Character($0)) }
        }
        if entity.hasPrefix("#") {
            return UInt32(entity.dropFirst()).flatMap(UnicodeScalar.init).map { String(Character($0)) }
        }
        return named[entity]
    }
}
