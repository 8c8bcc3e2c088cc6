import KokemusCore

/// The console channel: messages to people are written to the transcript.
public struct ConsoleTransport: MessageTransport {
    public let channel = Channel.console
    private let writer: TranscriptWriter

    public init(writer: TranscriptWriter) {
        self.writer = writer
    }

    public func deliver(_ message: OutboxMessage, to person: Person) async throws -> [ChannelMemoryChange] {
        writer.message(from: "bot", to: person.id.rawValue, message.text)
        return []
    }
}
