/// A homeserver's refusal: HTTP status, Matrix `errcode` and its message.
public struct MatrixError: Error, CustomStringConvertible, Sendable {
    public var status: Int
    public var errcode: String
    public var message: String
    public var operation: String

    public var description: String {
        "\(operation): HTTP \(status) \(errcode): \(message)"
    }
}
