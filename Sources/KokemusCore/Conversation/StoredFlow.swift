/// A flow file's text kept in the store for conversations that still follow it.
public struct StoredFlow: Codable, Sendable, Hashable {
    public var version: String
    public var file: String
    public var text: String
}
