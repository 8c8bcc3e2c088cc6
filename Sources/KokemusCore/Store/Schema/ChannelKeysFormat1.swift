import Foundation

/// Channel memory as the first format kept it: one table of text keys, each channel's
/// prefixed with its name (`matrix.dm.anna`, `email.sent.anna@x.fi` = `2026-12-08 3`), written
/// by `channelStateSet` events and held in snapshots under `channelState`. Journals and
/// snapshots of that format are still read: each key is read into the channel's typed memory
/// (`MatrixMemory`, `MailMemory`). A key no channel knows is kept as it is, never acted on.
extension GatewayState {
    /// The core's own key: the guard version the stored texts were read with.
    static let scrubKeyFormat1 = "kokemus.guard_scrub"

    mutating func applyFormat1ChannelKey(_ key: String, _ value: String?) {
        var known = false
        if key == Self.scrubKeyFormat1 {
            scrubbedWithGuard = value
            known = true
        } else if key.hasPrefix("matrix.") {
            known = matrix.applyFormat1(key: key.dropFirst("matrix.".count), value: value)
        } else if key.hasPrefix("email.") {
            known = mail.applyFormat1(key: key.dropFirst("email.".count), value: value)
        }
        guard !known else { return }
        if let value { unknownChannelKeys[key] = value } else { unknownChannelKeys.removeValue(forKey: key) }
    }
}
