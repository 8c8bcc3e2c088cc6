import Foundation

/// Writes the demo transcript, one line per message: `anna → bot: text` for input and
/// `bot → anna: text` for output, continuation lines indented by two spaces. Tests read
/// the same format.
public final class TranscriptWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let output: (String) -> Void
    private var collected: [String] = []

    /// Writes to standard output.
    public static func standardOutput() -> TranscriptWriter {
        TranscriptWriter { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    /// Keeps the lines in memory (for tests), readable through ``lines``.
    public static func memory() -> TranscriptWriter {
        TranscriptWriter { _ in }
    }

    public init(output: @escaping (String) -> Void) {
        self.output = output
    }

    /// Every line written so far.
    public var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }

    public var text: String { lines.map { $0 + "\n" }.joined() }

    /// A message between `from` and `to`.
    public func message(from: String, to: String, _ text: String) {
        let body = text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
            .map { $0.offset == 0 ? String($0.element) : "  " + $0.element }
            .joined(separator: "\n")
        write("\(from) → \(to): \(body)")
    }

    /// A line about the demo itself, not a message: `# text`.
    public func note(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            write("# \(line)")
        }
    }

    private func write(_ text: String) {
        lock.lock()
        collected.append(contentsOf: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        lock.unlock()
        output(text)
    }
}
