import CurlKit

/// Cuts what an IMAP server sends into lines (CRLF; a bare LF is taken too) and the raw bytes
/// of literals (`{n}` at the end of a line, then n bytes), with a bound on how long a line may
/// grow: a server that never ends a line cannot make it hold more than `longestLine`.
struct IMAPLineReader {
    static let longestLine = 64 << 10
    private var buffer: [UInt8] = []
    /// Bytes before `start` are taken.
    private var start = 0
    /// Where the search for the next line feed goes on (no line feed between `start` and here).
    private var searched = 0

    mutating func append(_ bytes: [UInt8]) {
        // What is taken is dropped once it is at least as much as what is left, so that each
        // byte is moved at most once on average (a chunk of many short lines stays linear).
        if start > 0, start >= buffer.count - start {
            buffer.removeSubrange(..<start)
            searched -= start
            start = 0
        }
        buffer += bytes
    }

    /// The next whole line, or nil when none has come whole yet.
    mutating func nextLine() throws -> String? {
        guard let end = buffer[max(start, searched)...].firstIndex(of: UInt8(ascii: "\n")) else {
            searched = buffer.count
            guard buffer.count - start <= Self.longestLine else {
                throw CurlError(code: 8, operation: "IMAP", detail: "a line longer than \(Self.longestLine) bytes")
            }
            return nil
        }
        var line = buffer[start..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        start = end + 1
        searched = start
        return String(decoding: line, as: UTF8.self)
    }

    /// Up to `count` of the bytes that have come, taken raw (a literal's).
    mutating func take(upTo count: Int) -> [UInt8] {
        let end = min(buffer.count, start + max(0, count))
        defer {
            start = end
            searched = max(searched, end)
        }
        return Array(buffer[start..<end])
    }

    /// `* 12 EXISTS` or `* 1 RECENT` (a message came; an `EXISTS` also follows an expunge
    /// with a smaller count, which only costs one needless poll).
    static func isNewMail(_ line: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
        guard words.count >= 3, words[0] == "*", UInt32(words[1]) != nil else { return false }
        let kind = words[2].uppercased()
        if kind == "RECENT" { return UInt32(words[1]).map { $0 > 0 } ?? false }
        return kind == "EXISTS"
    }

    /// The UID in `* OK [UIDNEXT 17] …`.
    static func uidNext(_ line: String) -> UInt32? { responseCode("UIDNEXT", in: line) }

    /// The number in `* OK [UIDVALIDITY 1795982890] …`.
    static func uidValidity(_ line: String) -> UInt32? { responseCode("UIDVALIDITY", in: line) }

    private static func responseCode(_ name: String, in line: String) -> UInt32? {
        guard let range = line.range(of: "[\(name) ", options: .caseInsensitive) else { return nil }
        return UInt32(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// The size of the literal a line announces at its end (`… BODY[] {1234}`), if it does.
    /// Nil for anything else, and for sizes no mail has (over 2 GiB).
    static func literalSize(_ line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        let digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int(digits),
            size <= Int(Int32.max)
        else { return nil }
        return size
    }
}
