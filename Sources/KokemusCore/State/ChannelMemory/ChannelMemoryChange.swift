import Foundation

/// A change a channel makes to its own memory (`Gateway.remember`, or with the messages it
/// concerns: `Gateway.receive(_:remembering:)`).
public enum ChannelMemoryChange: Sendable, Hashable {
    case matrix(MatrixMemory.Change)
    case mail(MailMemory.Change)

    var event: GatewayEvent {
        switch self {
        case .matrix(let change): .matrixMemory(change)
        case .mail(let change): .mailMemory(change)
        }
    }
}
