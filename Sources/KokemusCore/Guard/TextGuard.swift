import Crypto
import Foundation

/// The one guard every free text passes before it enters the state or reaches another person:
/// text answers, relays, "ask first" questions, reasons, notes, feedback, places, applications.
///
/// It folds the text (`FoldedText`: Unicode tricks, number words, spelled signs undone), then
/// looks for phone numbers, e-mail addresses, Matrix IDs, messaging and social links, IBANs,
/// street addresses and identity codes, and for the sender's own registry contacts and name;
/// also in the sender's last messages joined with this one, so a number split over messages is
/// found when its last part comes. Every step is linear in the text's length.
///
/// What is held is not kept: the verdict carries the kinds found and a short fingerprint.
public struct TextGuard: Sendable {
    /// Matrix server names that count as servers without a dot (the gateway's own).
    public var knownMatrixServers: Set<String>
    /// The longest text a person may send in one message.
    public var maximumLength: Int
    /// Keys the fingerprints of held text (HMAC-SHA256). Without a key from the operator
    /// (`KOKEMUS_GUARD_KEY`) it is made at random for each process and never written down, so
    /// that no one with the state can find a held text by trying candidates, nor make another
    /// text match a released one; the price is that a release is for the same text sent again
    /// before the gateway restarts.
    private let fingerprintKey: [UInt8]

    /// The registry's people's own contacts in the form the guard reads them, made once.
    private var ownContacts: [PersonID: OwnContacts] = [:]

    /// Prepares each person's own contacts once, instead of for every text they write.
    public mutating func know(_ people: some Sequence<Person>) {
        for person in people { ownContacts[person.id] = OwnContacts(person) }
    }

    public init(knownMatrixServers: Set<String> = [], maximumLength: Int = 4000, fingerprintKey: String? = nil) {
        self.knownMatrixServers = Set(knownMatrixServers.map { $0.lowercased() })
        self.maximumLength = maximumLength
        self.fingerprintKey =
            fingerprintKey.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
            ?? SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    public enum Verdict: Sendable, Hashable {
        /// The text may go on; `signatureRemoved` when the sender's own signature was cut.
        case passed(GuardedText, signatureRemoved: Bool)
        case held(GuardHold)
        /// Longer than `maximumLength` characters: refused whole, never cut silently.
        case tooLong(length: Int, maximum: Int)
    }

    /// Reads `text` written by `sender` under `rules`. `earlier` are the sender's last
    /// messages in the same conversation, oldest first (already passed). With
    /// `stripSignature`, a signature of the sender's own details at the end is cut first.
    public func check(
        _ text: String, from sender: Person?, rules: GuardRules, earlier: [String] = [],
        stripSignature: Bool = false
    ) -> Verdict {
        let length = text.count
        guard length <= maximumLength else { return .tooLong(length: length, maximum: maximumLength) }
        let own = sender.map { ownContacts[$0.id] ?? OwnContacts($0) }
        var written = text
        var signatureRemoved = false
        if stripSignature, let stripped = SignatureStripper.strip(text, own: own) {
            written = stripped
            signatureRemoved = true
        }
        // What goes on is the text without controls; it is read both as it goes on and as
        // written (where a bidi override still shows which way the reader sees it).
        let candidate = Self.withoutControls(written)
        var found = categories(in: candidate, own: own, rules: rules)
        if candidate != written { found.formUnion(categories(in: written, own: own, rules: rules)) }
        // A part of something split over messages is short; a long text is read on its own.
        if found.isEmpty, !earlier.isEmpty, candidate.utf8.count <= 1_000 {
            // Only what the joined text holds and the earlier messages alone did not.
            let before = earlier.suffix(3).joined(separator: " ")
            let joined = before + " " + candidate
            found = categories(in: joined, own: own, rules: rules).subtracting(categories(in: before, own: own, rules: rules))
            // Messages of digits alone are parts of a number, however the next part is worded
            // (`04686` then `ja loput 40527`).
            if found.isEmpty, rules.held.contains(.phone) {
                let parts = earlier.suffix(3).filter(Self.isDigitsOnly)
                let digits = (parts + [candidate]).reduce(0) { $0 + FoldedText($1).scalars.filter(\.isASCIIDigit).count }
                let current = FoldedText(candidate).scalars.filter(\.isASCIIDigit).count
                if !parts.isEmpty, current > 0, digits >= PhoneNumberDetector.minimumDigits { found.insert(.phone) }
            }
        }
        guard found.isEmpty else {
            return .held(GuardHold(categories: GuardCategory.allCases.filter(found.contains), fingerprint: fingerprint(text)))
        }
        return .passed(GuardedText(candidate, witness: GuardWitness()), signatureRemoved: signatureRemoved)
    }

    /// `text` as guarded text, or an `ActionFailure` naming the kinds found: for what an
    /// action stores from a slot, which its answer already passed.
    public func guarded(_ text: String, from person: Person) throws -> GuardedText {
        switch check(text, from: person, rules: .forText(from: person)) {
        case .passed(let guarded, _): return guarded
        case .held(let hold): throw ActionFailure("text holds \(hold.categories.map(\.rawValue)); not stored")
        case .tooLong(let length, let maximum): throw ActionFailure("text of \(length) characters, over \(maximum)")
        }
    }

    /// `text` as guarded text when it passes `rules` from no one in particular, else nil: for
    /// texts that do not come from a person in the registry (tools, generated data).
    public func passed(_ text: String, rules: GuardRules = .fromExpert) -> GuardedText? {
        if case .passed(let guarded, _) = check(text, from: nil, rules: rules) { return guarded }
        return nil
    }

    /// A held text a coordinator released, when `text` is the same text again (by its
    /// fingerprint) from the same sender.
    public func released(_ text: String, from sender: PersonID, matching held: HeldText) -> GuardedText? {
        guard held.releasedBy != nil, !held.resent, held.sender == sender, held.fingerprint == fingerprint(text) else {
            return nil
        }
        // Released from the detectors, not from the cleaning every passed text gets.
        return GuardedText(Self.withoutControls(text), witness: GuardWitness())
    }

    /// The text without what would act on the reader's screen instead of being read: control
    /// characters (NUL, escape sequences, a bare CR), bidi overrides and isolates; line breaks
    /// become `\n`, tabs stay.
    static func withoutControls(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard
            scalars.contains(where: {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
                    || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
            })
        else { return text }
        var result = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            switch scalar.value {
            case 0x1B:
                // An ANSI escape sequence: ESC [ parameters … a final letter.
                if index < scalars.endIndex, scalars[index] == "[" {
                    index = scalars.index(after: index)
                    while index < scalars.endIndex, !(0x40...0x7E).contains(scalars[index].value) { index = scalars.index(after: index) }
                    if index < scalars.endIndex { index = scalars.index(after: index) }
                }
            case 0x0D:
                // CRLF and a bare CR are both one line break.
                if index < scalars.endIndex, scalars[index] == "\n" { continue }
                result.append("\n")
            case 0x0A, 0x09: result.append(scalar)
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// A message of digits and separators only, no letters (`04686`, `040 12`).
    static func isDigitsOnly(_ text: String) -> Bool {
        let folded = FoldedText(text).scalars
        return folded.contains(where: \.isASCIIDigit) && !folded.contains(where: \.isASCIILetter)
    }

    /// The kinds of detail `rules` holds that `text` contains.
    func categories(in text: String, own: OwnContacts?, rules: GuardRules) -> Set<GuardCategory> {
        let folded = FoldedText(text).scalars
        var found: Set<GuardCategory> = []
        let wanted = rules.held
        // What a detail needs at the least, counted once, so that most messages skip most
        // detectors: an identity code or a phone number has 7 digits or more, an IBAN 10, a
        // street address a house number; a Matrix ID an `@`, `#` or `:` or the service named.
        var digits = 0
        var hasMatrixSign = false
        for scalar in folded {
            if scalar.isASCIIDigit { digits += 1 } else if scalar == "@" || scalar == "#" || scalar == ":" { hasMatrixSign = true }
        }
        if wanted.contains(.identityCode), digits >= 7, IdentityCodeDetector.contains(in: folded) { found.insert(.identityCode) }
        if wanted.contains(.phone), digits >= PhoneNumberDetector.minimumDigits, PhoneNumberDetector.contains(in: folded) {
            found.insert(.phone)
        }
        if wanted.contains(.email), AddressDetectors.containsEmail(in: folded) { found.insert(.email) }
        if wanted.contains(.matrixID), hasMatrixSign || Self.mentionsMatrix(folded),
            AddressDetectors.containsMatrixID(in: folded, knownServers: knownMatrixServers)
        {
            found.insert(.matrixID)
        }
        if wanted.contains(.link), SocialLinkDetector.contains(in: folded) || SocialLinkDetector.containsNamedProfile(in: text) {
            found.insert(.link)
        }
        if wanted.contains(.iban), digits >= 10, IBANDetector.contains(in: folded) { found.insert(.iban) }
        if wanted.contains(.streetAddress), digits >= 1, StreetAddressDetector.contains(in: folded) { found.insert(.streetAddress) }
        if let own, !wanted.isDisjoint(with: [.phone, .email, .matrixID, .name]) {
            found.formUnion(own.findings(in: folded).intersection(wanted))
        }
        return found
    }

    private static let matrixWords: [[Unicode.Scalar]] = [Array("matrix".unicodeScalars), Array("element".unicodeScalars)]

    private static func mentionsMatrix(_ folded: [Unicode.Scalar]) -> Bool {
        matrixWords.contains { word in
            guard folded.count >= word.count else { return false }
            return (0...(folded.count - word.count)).contains { start in
                folded[start] == word[0] && folded[start..<start + word.count].elementsEqual(word)
            }
        }
    }

    /// 16 hex digits of the text's HMAC under `fingerprintKey`: the same text sent again matches,
    /// and without the key (which is not in the state) nothing can be learnt from it.
    func fingerprint(_ text: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: fingerprintKey))
        return code.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}

/// Proof of having been through the guard: only this file can make one, so only the guard
/// makes `GuardedText`.
struct GuardWitness: Sendable {
    fileprivate init() {}
}

/// What the guard held: the kinds of detail found and the text's fingerprint, never the text.
public struct GuardHold: Sendable, Hashable, Codable {
    public var categories: [GuardCategory]
    public var fingerprint: String

    public init(categories: [GuardCategory], fingerprint: String) {
        self.categories = categories
        self.fingerprint = fingerprint
    }
}

extension GuardedText {
    /// Nothing: a text whose writer's data was erased (`PersonErasure`).
    static let erased = GuardedText("", witness: GuardWitness())

    /// The text with every one of `parts` (a name, a contact, an id) replaced by `pseudonym`,
    /// ignoring case. Replaced, not removed, so no parts join into a new number or address;
    /// a pseudonym of letters brings no digits of its own.
    func replacing(_ parts: [PersonErasure.Pattern], with pseudonym: String) -> GuardedText {
        let replaced = PersonErasure.replace(parts, in: text, with: pseudonym)
        return replaced == text ? self : GuardedText(replaced, witness: GuardWitness())
    }
}
