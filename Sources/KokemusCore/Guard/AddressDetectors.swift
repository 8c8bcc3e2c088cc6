/// Finds e-mail addresses and Matrix IDs in folded text, where spelled signs are already `@`,
/// `.` and `:` and the spaces around a spelled sign gone (`kalle at posti piste fi` reads
/// `kalle@posti.fi`). Each `@` is looked at once, and the scans to its left and right stop at
/// the next `@`, so the work is linear in the text.
enum AddressDetectors {
    /// `local@domain.tld`: a local part, a domain of two labels or more, the last of letters
    /// (a space after a dot is allowed: `telia. example`).
    static func containsEmail(in text: [Unicode.Scalar]) -> Bool {
        for (index, scalar) in text.enumerated() where scalar == "@" {
            // `kalle @ posti.fi`: up to two spaces on each side of the sign.
            var left = index
            while left > 0, index - left < 2, text[left - 1] == " " { left -= 1 }
            let localEnd = left
            while left > 0, isLocalPart(text[left - 1]) { left -= 1 }
            guard left < localEnd, text[left..<localEnd].contains(where: \.isWordCharacter) else { continue }
            var right = index + 1
            while right < text.count, right - index <= 2, text[right] == " " { right += 1 }
            let labels = domainLabels(in: text, from: right, spaceAfterDot: true)
            if labels.count >= 2 { return true }
            // `kallehh92@posteo`: no top-level domain, but a user name or a mail provider.
            var localView = String.UnicodeScalarView()
            localView.append(contentsOf: text[left..<localEnd])
            if let only = labels.first, only.unicodeScalars.count >= 3, isHandle(String(localView)) || isProvider(only) {
                return true
            }
        }
        return containsAddressWithoutAt(text)
    }

    /// `@localpart:server`, `@name : server`, `matrix:u/name:server`. With no space after the
    /// colon any server name counts (`@sami:homeserver`); after a space only a domain,
    /// `localhost`, a known server or a host with a port, since `@anna: kiitos` is a mention.
    static func containsMatrixID(in text: [Unicode.Scalar], knownServers: Set<String> = []) -> Bool {
        for (index, scalar) in text.enumerated() where scalar == "@" || scalar == "#" {
            // `#room:server` is a room alias: a way to find the person as good as their ID.
            // `@ pirkko:matrix.org`: a space after the sign makes only a full server name count.
            var start = index + 1
            let spacedSign = start < text.count && text[start] == " "
            if spacedSign { start += 1 }
            var cursor = start
            while cursor < text.count, isMatrixLocalPart(text[cursor]) { cursor += 1 }
            // A local part with a letter (`@14:30` is a time after `at`).
            guard cursor > start, text[start..<cursor].contains(where: \.isASCIILetter) else { continue }
            while cursor < text.count, text[cursor] == " ", cursor - index < 80 { cursor += 1 }
            guard cursor < text.count, text[cursor] == ":" else { continue }
            cursor += 1
            var spaces = 0
            while cursor < text.count, text[cursor] == " ", spaces < 2 {
                cursor += 1
                spaces += 1
            }
            let labels = domainLabels(in: text, from: cursor, allowDigitsLast: true)
            guard let first = labels.first else { continue }
            // `192.168.1.20`: a server by its address.
            if labels.count == 4, labels.allSatisfy({ $0.unicodeScalars.allSatisfy(\.isASCIIDigit) }) { return true }
            guard first.unicodeScalars.contains(where: \.isASCIILetter) else { continue }
            if spaces == 0 && !spacedSign || labels.count >= 2 || first == "localhost" || knownServers.contains(first) { return true }
            let afterHost = cursor + first.unicodeScalars.count
            if afterHost + 1 < text.count, text[afterHost] == ":", text[afterHost + 1].isASCIIDigit { return true }
        }
        return containsMatrixURI(text) || containsDescribedMatrixID(text)
    }

    /// `matrix:u/name:server` (the Matrix URI scheme).
    private static func containsMatrixURI(_ text: [Unicode.Scalar]) -> Bool {
        let words = Words(text).items
        for (position, word) in words.enumerated()
        where word.text == "matrix" && word.end + 2 < text.count
            && text[word.end] == ":" && position + 1 < words.count && ["u", "r", "roomid"].contains(words[position + 1].text)
        {
            return true
        }
        return false
    }

    /// A Matrix ID told in words: the service named (`Matrix`, `Element`), a server (a host
    /// name) and a user name or the word for one (`tunnus`, `id`, `username`).
    private static func containsDescribedMatrixID(_ text: [Unicode.Scalar]) -> Bool {
        let words = Words(text).items
        guard words.contains(where: { $0.text.hasPrefix("matrix") || $0.text.hasPrefix("element") }),
            words.contains(where: { isHost($0.text) })
        else { return false }
        return words.contains { word in
            idWords.contains { word.text.hasPrefix($0) } || (isHandle(word.text) && !isHost(word.text))
        }
    }

    private static let idWords = [
        "tunnu", "tunnar", "id", "käyttäjä", "username", "user", "användar", "konto", "account",
        "palvelin", "server",
    ]

    /// Mail providers, for an address written without its `@` (`matti.virtanen83 gmailissa`).
    private static let providers = [
        "gmail", "hotmail", "outlook", "yahoo", "icloud", "protonmail", "proton", "luukku",
        "suomi24", "saunalahti", "kolumbus", "telia", "elisa", "live.com", "msn", "gmx", "yandex",
        "aol", "zoho", "fastmail", "posteo", "disroot", "riseup", "tutanota", "tuta", "mailbox",
        "web.de", "mail.ru",
    ]

    /// A user name (`matti.virtanen83`, `tuomas_lind`) with a mail provider or a host name
    /// within four words either side (`gmailini on tuomas.kivi88`), or a provider's name glued
    /// into an address (`miskaatgmaildotcom`).
    private static func containsAddressWithoutAt(_ text: [Unicode.Scalar]) -> Bool {
        let words = Words(text).items
        for (position, word) in words.enumerated() {
            if isHandle(word.text) && !isHost(word.text) {
                let window = words[max(0, position - 4)..<min(words.count, position + 5)]
                if window.contains(where: { $0.start != word.start && (isHost($0.text) || isProvider($0.text)) }) { return true }
            }
            if word.text.unicodeScalars.count >= 9,
                providers.contains(where: { provider in
                    guard let range = word.text.range(of: provider), range.lowerBound > word.text.startIndex else { return false }
                    let after = word.text[range.upperBound...]
                    return gluedEndings.contains { after.hasSuffix($0) }
                })
            {
                return true
            }
        }
        return false
    }

    private static let gluedEndings = ["com", "fi", "net", "se", "org"]

    private static func isProvider(_ word: String) -> Bool {
        providers.contains { word.hasPrefix($0) }
    }

    /// Letters with a `.`, `_` or digits among them (`kalle.h`, `tuomas_lind`, `jonna92`).
    static func isHandle(_ word: String) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 4, scalars.count <= 64,
            scalars.filter({ $0.properties.isAlphabetic }).count >= 3
        else { return false }
        return scalars.contains { $0 == "." || $0 == "_" }
            || (scalars.contains(where: \.isASCIIDigit)
                && scalars.first!.properties.isAlphabetic)
    }

    /// A host name: labels joined by dots, the last a country's two letters or a common
    /// top-level domain (`posti.example`, `tchncs.de`; not `stina.nyberg`, a name, nor `ohje.pdf`).
    static func isHost(_ word: String) -> Bool {
        let labels = word.split(separator: ".")
        guard labels.count >= 2, let last = labels.last, last.unicodeScalars.allSatisfy({ $0.isASCIILetter }) else {
            return false
        }
        return last.count == 2 || genericTopLevelDomains.contains(String(last))
    }

    private static let genericTopLevelDomains: Set<String> = [
        "com", "net", "org", "info", "biz", "app", "dev", "io", "xyz", "online", "site", "email", "social", "chat", "me",
        "example", "test", "local", "eu", "name", "pro", "cloud", "blog", "page", "link", "club", "live", "world",
    ]

    private static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isWordCharacter || scalar == "." || scalar == "-" || scalar == "+" || scalar == "%" || scalar == "'"
    }

    private static func isMatrixLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x80 && scalar.isWordCharacter) || scalar == "." || scalar == "-" || scalar == "=" || scalar == "/"
            || scalar == "+"
    }

    /// Top-level domains common enough to read `telia. example` as one address; after a
    /// sentence's full stop (`at home. See you`) stands any word.
    private static let commonTopLevelDomains: Set<String> = [
        "fi", "com", "net", "org", "se", "eu", "ax", "io", "me", "de", "nu", "info", "example", "test", "no", "dk", "ee",
    ]

    private static func topLevelDomain(in text: [Unicode.Scalar], at start: Int) -> String? {
        var end = start
        while end < text.count, text[end].isASCIILetter { end += 1 }
        guard end > start, end == text.count || !text[end].isWordCharacter else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text[start..<end])
        let word = String(view)
        return commonTopLevelDomains.contains(word) ? word : nil
    }

    /// The dot-separated labels of a host name starting at `start` (`posti.example` → two).
    /// The last label must be letters (a top-level domain) unless `allowDigitsLast`.
    static func domainLabels(
        in text: [Unicode.Scalar], from start: Int, allowDigitsLast: Bool = false,
        spaceAfterDot: Bool = false
    ) -> [String] {
        var labels: [String] = []
        var index = start
        while index < text.count {
            var end = index
            while end < text.count, text[end].isWordCharacter || text[end] == "-" { end += 1 }
            guard end > index else { break }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text[index..<end])
            labels.append(String(view))
            guard end + 1 < text.count, text[end] == "." else { break }
            if text[end + 1].isWordCharacter {
                index = end + 1
            } else if spaceAfterDot, text[end + 1] == " ", let tld = topLevelDomain(in: text, at: end + 2) {
                labels.append(tld)
                break
            } else {
                break
            }
        }
        if !allowDigitsLast, let last = labels.last, labels.count >= 2,
            !(last.unicodeScalars.count >= 2 && last.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }))
        {
            labels.removeLast()
        }
        return labels
    }
}
