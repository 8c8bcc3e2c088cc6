import Foundation

/// A received e-mail: its headers, its MIME tree, and what a person wrote in it.
public struct MailMessage: Sendable {
    public var root: MIMEPart

    public var headers: MailHeaders { root.headers }

    public init(parsing data: Data) {
        root = MIMEPart(parsing: data)
    }

    public var messageID: String? { headers["Message-ID"].flatMap(MailAddress.angleBracketed) }
    public var subject: String { headers.decoded("Subject") ?? "" }
    /// The sender's address, lower-cased.
    public var fromAddress: String? { headers.decoded("From").flatMap(MailAddress.extractAddress) }
    /// Message-IDs this one replies to: In-Reply-To first, then References newest first.
    public var replyReferences: [String] {
        let inReplyTo = MailAddress.angleBracketedAll(headers["In-Reply-To"] ?? "")
        let references = MailAddress.angleBracketedAll(headers["References"] ?? "").reversed()
        var seen: Set<String> = []
        return (inReplyTo + references).filter { seen.insert($0).inserted }
    }

    /// The text the sender wrote: the first text/plain part that is not an attachment, or
    /// else the first HTML part converted to text. Quotes are not yet removed.
    public var bodyText: String {
        let leaves = root.leaves.filter { !$0.isAttachment }
        if let plain = leaves.first(where: { $0.contentType == "text/plain" }) { return plain.text }
        if let html = leaves.first(where: { $0.contentType == "text/html" }) { return HTMLText.text(from: html.text) }
        return ""
    }

    /// What the sender wrote, without quoted replies, attribution lines or signature.
    public var replyText: String {
        QuoteStripper.strip(bodyText)
    }
}
