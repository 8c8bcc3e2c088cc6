import KokemusCore

/// The console channel: messages to people are written to the transcript.
public struct ConsoleTransport: MessageTransport {
    public let channel = Channel.console
    private let writer: TranscriptWriter

    public init(writer: TranscriptWriter) {
        self.writer = writer
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        // The demo shows what files went along, not their contents (payroll's CSV files).
        let files = (message.attachments ?? []).map {
            "\n[\($0.filename), \($0.text.split(separator: "\r\n", omittingEmptySubsequences: true).count) lines]"
        }
        writer.message(from: "bot", to: person.id.rawValue, message.text + files.joined())
        return []
    }
}
