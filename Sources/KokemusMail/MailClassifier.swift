import Foundation

/// Tells mail from a person apart from mail a machine sent, so the gateway never answers an
/// auto-reply (loops) and learns from bounces (RFC 3834, RFC 3464).
public enum MailClassifier {
    public enum Kind: Sendable, Hashable {
        /// A person wrote it: handle it.
        case person
        /// Automatic (out-of-office, list, bulk): never answered.
        case automatic(reason: String)
        /// A delivery failure report: these addresses failed.
        case bounce(failedRecipients: [String])
    }

    public static func classify(_ message: MailMessage) -> Kind {
        let headers = message.headers
        if message.root.contentType == "multipart/report" {
            return .bounce(failedRecipients: failedRecipients(message.root))
        }
        let from = message.fromAddress ?? ""
        let returnPath = headers["Return-Path"]?.replacingOccurrences(of: " ", with: "")
        if from.hasPrefix("mailer-daemon@") || from.hasPrefix("postmaster@") {
            return .bounce(failedRecipients: failedRecipients(message.root))
        }
        if returnPath == "<>" { return .automatic(reason: "empty Return-Path") }
        if let auto = headers["Auto-Submitted"]?.lowercased(), !auto.hasPrefix("no") {
            return .automatic(reason: "Auto-Submitted: \(auto)")
        }
        if let precedence = headers["Precedence"]?.lowercased().trimmingCharacters(in: .whitespaces),
            ["bulk", "junk", "list", "auto_reply"].contains(precedence)
        {
            return .automatic(reason: "Precedence: \(precedence)")
        }
        if headers["List-Id"] != nil || headers["List-Unsubscribe"] != nil { return .automatic(reason: "mailing list") }
        if headers["X-Autoreply"] != nil || headers["X-Autorespond"] != nil { return .automatic(reason: "X-Autoreply") }
        if headers["X-Auto-Response-Suppress"].map({ $0.lowercased().contains("all") }) == true,
            headers["Auto-Submitted"] != nil
        {
            return .automatic(reason: "X-Auto-Response-Suppress")
        }
        return .person
    }

    /// `Final-Recipient: rfc822; a@b` of each failed recipient in a delivery-status part.
    static func failedRecipients(_ root: MIMEPart) -> [String] {
        var failed: [String] = []
        for part in allParts(root) where part.contentType == "message/delivery-status" {
            // Per-recipient groups are separated by blank lines, each like a header block.
            let text = Charset.decode(part.decodedBody, charset: "utf-8").replacingOccurrences(of: "\r\n", with: "\n")
            for group in text.components(separatedBy: "\n\n") {
                let fields = MailHeaders(parsing: group)
                guard let recipient = fields["Final-Recipient"] ?? fields["Original-Recipient"],
                    (fields["Action"]?.lowercased() ?? "failed") == "failed"
                else { continue }
                let address = recipient.split(separator: ";").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if let valid = MailAddress.extractAddress(address), !failed.contains(valid) { failed.append(valid) }
            }
        }
        return failed
    }

    private static func allParts(_ part: MIMEPart) -> [MIMEPart] {
        [part] + part.children.flatMap(allParts)
    }
}
