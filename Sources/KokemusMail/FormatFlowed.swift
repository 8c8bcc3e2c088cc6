/// Text/plain; format=flowed (RFC 3676): a line ending in a space continues on the next.
enum FormatFlowed {
    static func unflow(_ text: String, deleteSpace: Bool) -> String {
        var output: [String] = []
        var paragraph: String?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            if line.hasPrefix(" ") { line.removeFirst() }  // space-stuffing (§4.4)
            let isSignatureSeparator = line == "-- "
            if line.hasSuffix(" "), !isSignatureSeparator {
                if deleteSpace { line.removeLast() }
                paragraph = (paragraph ?? "") + line
            } else {
                output.append((paragraph ?? "") + line)
                paragraph = nil
            }
        }
        if let paragraph { output.append(paragraph) }
        return output.joined(separator: "\n")
    }
}
