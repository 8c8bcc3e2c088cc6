import Crypto
import Foundation

/// What a log line may say of a person's address: never the address itself above debug level
/// (issue 15: logs go to operations staff and their tools), but enough to tell one from another
/// and to find it when a person asks — its domain and the start of its SHA-256.
/// `kalle.h@posti.example` → `…@posti.example#1a2b3c4d`; `@kalle:server` → `@…:server#…`.
public enum LogRedaction {
    public static func address(_ address: String) -> String {
        let digest = SHA256.hash(data: Data(address.lowercased().utf8)).prefix(4).map { String(format: "%02x", $0) }.joined()
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
            return "@…" + address[colon...] + "#" + digest
        }
        if let at = address.lastIndex(of: "@") {
            return "…" + address[at...] + "#" + digest
        }
        return "…#" + digest
    }

    /// A text for the log (a configuration problem quotes the value it found) with each word
    /// that holds an `@`, or seven digits or more (a phone number, an identity code), written
    /// as `address` writes it.
    public static func text(_ text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            let hidden = word.contains("@") || word.filter(\.isASCIIDigitCharacter).count >= 7
            result += hidden ? address(word) : word
            word = ""
        }
        for character in text {
            if character.isWhitespace || "'\"`,;()[]{}<>".contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }

    public static func addresses(_ addresses: some Sequence<String>) -> String {
        addresses.map(address).joined(separator: ", ")
    }
}
