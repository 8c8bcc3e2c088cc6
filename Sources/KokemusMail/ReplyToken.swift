import Crypto
import Foundation

/// The token in the gateway's reply address, `bot+TOKEN@domain`, and in its Message-IDs:
/// an id naming the person a mail went to, and an HMAC of it, so that a token cannot be
/// guessed or altered to reach someone else's conversation.
public struct ReplyToken: Sendable, Hashable {
    /// Hex characters of the id and of the (truncated) HMAC.
    static let idLength = 12
    static let macLength = 16

    public let person: String
    public let value: String

    /// A new token for `person`, signed with `key`.
    public init(person: String, key: [UInt8], id: String = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()) {
        let shortID = String(id.prefix(Self.idLength))
        self.person = person
        value = shortID + Self.mac(id: shortID, person: person, key: key)
    }

    /// HMAC-SHA256 of `id:person` under the key, in lower-case hex, cut to `macLength`.
    static func mac(id: String, person: String, key: [UInt8]) -> String {
        String(hexHMAC(key: key, message: Array("\(id):\(person)".utf8)).prefix(macLength))
    }

    static func hexHMAC(key: [UInt8], message: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    /// The token's id part, the key under which the person is remembered.
    public var id: String { String(value.prefix(Self.idLength)) }

    /// Finds a token in any of these addresses (`bot+TOKEN@domain`) or Message-IDs
    /// (`TOKEN.m42@domain`) and checks its HMAC against the person `lookup` gives for its id.
    public static func find(in candidates: [String], key: [UInt8], lookup: (String) -> String?) -> ReplyToken? {
        for candidate in candidates {
            for piece in candidate.lowercased().split(whereSeparator: { !$0.isHexDigit }) where piece.count == idLength + macLength {
                let text = String(piece)
                let id = String(text.prefix(idLength))
                guard let person = lookup(id), mac(id: id, person: person, key: key) == String(text.suffix(macLength)) else {
                    continue
                }
                return ReplyToken(verified: text, person: person)
            }
        }
        return nil
    }

    private init(verified value: String, person: String) {
        self.value = value
        self.person = person
    }
}
