/// A sender's own registry contacts in the forms the guard looks for them in folded text:
/// the phone's digits, the e-mail address, the Matrix localpart and server, and the name.
/// Matching one of these is a leak of the sender's own details however they are written.
struct OwnContacts: Sendable {
    /// The phone's last seven digits (the part that stays the same in `+358 40 …`, `040 …`).
    var phoneTail: [Unicode.Scalar]?
    /// The e-mail address folded, and its local part when it is distinctive (has a dot, a digit
    /// or `_`, so `kalle.h` but not `kalle`).
    var email: [Unicode.Scalar]?
    var distinctiveLocalPart: [Unicode.Scalar]?
    var emailLocalLetters: [Unicode.Scalar]?
    var emailDomainLetters: [Unicode.Scalar]?
    var matrixLocalPart: [Unicode.Scalar]?
    var matrixServerLabel: [Unicode.Scalar]?
    /// First name and the start of the last name that survives Finnish inflection
    /// (`heikki` of `Heikkinen`, so `Heikkiselle` is found).
    var firstName: [Unicode.Scalar]?
    var lastNameStem: [Unicode.Scalar]?
    /// The home address's street word, cut to a stem that survives inflection (`rauhanka` of
    /// `Rauhankatu`, so `Rauhankadulla` is found), and its house number's digits.
    var streetStem: [Unicode.Scalar]?
    var houseNumber: [Unicode.Scalar]?
    /// Short forms of the street, read with the number right after them in the text's letters
    /// and digits run together: `rauhank` (`Rauhank. 12`, `Rauhan k 12`), `rkatu` (`R-katu 12`),
    /// `rk` (`R.k. 12`).
    var streetShortForms: [[Unicode.Scalar]] = []

    init(_ person: Person) {
        if let phone = person.contacts.phone {
            let digits = FoldedText(phone).scalars.filter(\.isASCIIDigit)
            if digits.count >= 7 { phoneTail = Array(digits.suffix(7)) }
        }
        if let email = person.contacts.email {
            let folded = FoldedText(email).scalars
            self.email = folded
            if let at = folded.firstIndex(of: "@") {
                let local = Array(folded[..<at])
                if local.contains(where: { $0 == "." || $0 == "_" || $0.isASCIIDigit || $0 == "-" }) {
                    distinctiveLocalPart = local
                }
                emailLocalLetters = local.filter(\.isWordCharacter)
                emailDomainLetters = folded[(at + 1)...].prefix(while: { $0 != "." }).filter(\.isWordCharacter)
            }
        }
        if let matrix = person.contacts.matrix {
            let folded = FoldedText(matrix).scalars
            if let colon = folded.firstIndex(of: ":") {
                matrixLocalPart = Array(folded[..<colon].drop(while: { $0 == "@" }))
                matrixServerLabel = Array(folded[(colon + 1)...].prefix(while: { $0 != "." && $0 != ":" }))
            }
        }
        if let home = person.contacts.homeAddress {
            let words = Self.withoutDiacritics(FoldedText(home).scalars).split(whereSeparator: { !$0.isWordCharacter })
            // The first word of letters with a number after it: "Rauhankatu 12 B 5, 06100 Porvoo".
            if let index = words.firstIndex(where: { $0.count >= 4 && $0.allSatisfy { !$0.isASCIIDigit } }),
                let number = words[(index + 1)...].first(where: { $0.first?.isASCIIDigit == true })
            {
                let street = Array(words[index])
                streetStem = Array(street.prefix(max(4, street.count - 3)))
                houseNumber = Array(number.prefix(while: \.isASCIIDigit))
                if let generic = Self.streetWords.first(where: { street.count > $0.count + 2 && street.suffix($0.count).elementsEqual($0) })
                {
                    let specific = Array(street.dropLast(generic.count))
                    streetShortForms = [specific + [generic[0]], [specific[0]] + generic, [specific[0], generic[0]]]
                }
            }
        }
        let names = Self.withoutDiacritics(FoldedText(person.name).scalars).split(separator: " ").map(Array.init)
        if names.count >= 2, let first = names.first, let last = names.last {
            firstName = first
            lastNameStem = Array(last.prefix(max(4, last.count - 3)))
        }
    }

    /// The kinds of the sender's own details in the folded text.
    func findings(in text: [Unicode.Scalar]) -> Set<GuardCategory> {
        var found: Set<GuardCategory> = []
        let digits = text.filter(\.isASCIIDigit)
        let letters = text.filter(\.isWordCharacter)
        if let phoneTail, digits.contains(phoneTail) { found.insert(.phone) }
        if let email, text.contains(email) { found.insert(.email) }
        if let distinctiveLocalPart, containsWord(distinctiveLocalPart, in: text) { found.insert(.email) }
        if let emailLocalLetters, let emailDomainLetters, emailLocalLetters.count >= 3,
            letters.contains(emailLocalLetters + emailDomainLetters)
        {
            found.insert(.email)
        }
        if let matrixLocalPart, !matrixLocalPart.isEmpty {
            if text.contains(["@"] + matrixLocalPart) { found.insert(.matrixID) }
            if let matrixServerLabel, letters.contains(matrixLocalPart.filter(\.isWordCharacter) + matrixServerLabel) {
                found.insert(.matrixID)
            }
        }
        if containsName(text, letters: letters) { found.insert(.name) }
        if let streetStem, let houseNumber, containsHome(text, streetStem: streetStem, houseNumber: houseNumber) {
            found.insert(.streetAddress)
        }
        return found
    }

    /// Street words a Finnish or Swedish street name ends in, for its short forms.
    static let streetWords: [[Unicode.Scalar]] = [
        "katu", "tie", "kuja", "polku", "tori", "vayla", "rinne", "kaari", "piha",
        "gatan", "vagen", "gränd", "grand", "stigen", "torget",
    ]
    .map { Array($0.unicodeScalars) }

    /// Markers of a house number a few words after the street (`talo numero 12`).
    static let numberMarkers: Set<String> = [
        "numero", "nro", "n", "no", "nr", "talo", "talossa", "taloon", "rappu", "porras",
        "huoneisto", "asunto", "as", "nummer", "hus", "number", "house",
    ]

    /// The home street with its house number: right after the street (inflected, or a short form,
    /// in the letters and digits run together), or a few words on after a house-number marker.
    /// A time or a date after the street (`Rauhankadun kautta klo 12`) is not a house number.
    private func containsHome(_ folded: [Unicode.Scalar], streetStem: [Unicode.Scalar], houseNumber: [Unicode.Scalar]) -> Bool {
        let plain = Self.withoutDiacritics(folded)
        let run = plain.filter { $0.isWordCharacter || $0.isASCIIDigit }
        for form in [streetStem] + streetShortForms {
            var start = run.startIndex
            while let found = run[start...].firstRange(of: form) {
                // At most a few letters of inflection (`adulla`), then the number and no more digits.
                var index = found.upperBound
                var letters = 0
                let inflection = form.count > 3 ? 7 : 0
                while index < run.endIndex, !run[index].isASCIIDigit, letters < inflection {
                    index += 1
                    letters += 1
                }
                if run[index...].starts(with: houseNumber) {
                    let after = index + houseNumber.count
                    if after == run.endIndex || !run[after].isASCIIDigit { return true }
                }
                start = found.lowerBound + 1
            }
        }
        let words = plain.split(whereSeparator: { !$0.isWordCharacter && !$0.isASCIIDigit }).map { String(String.UnicodeScalarView($0)) }
        let stem = String(String.UnicodeScalarView(streetStem))
        let number = String(String.UnicodeScalarView(houseNumber))
        for (index, word) in words.enumerated() where word.contains(stem) {
            let window = Array(words[(index + 1)...].prefix(5))
            for (position, next) in window.enumerated()
            where next.prefix(while: \.isNumber) == number && position > 0
                && Self.numberMarkers.contains(window[position - 1])
            {
                return true
            }
        }
        return false
    }

    /// First and last name next to each other in either order (with at most one word between,
    /// a middle name), or run together (`kalleheikkinen92`), with or without `ä`, `ö`, `å`; or
    /// the last name with a service to look it up on (`sukunimeni on Heikkinen, etsi Facebookista`).
    private func containsName(_ folded: [Unicode.Scalar], letters foldedLetters: [Unicode.Scalar]) -> Bool {
        guard let firstName, let lastNameStem else { return false }
        let text = Self.withoutDiacritics(folded)
        let letters = Self.withoutDiacritics(foldedLetters)
        if letters.contains(firstName + lastNameStem) || letters.contains(lastNameStem + firstName) { return true }
        let items = Words(text).items
        let words = items.map { Array($0.text.unicodeScalars.filter(\.isWordCharacter)) }
        if words.contains(where: { $0.starts(with: lastNameStem) && $0.count <= lastNameStem.count + 8 }),
            SocialLinkDetector.namesService(items.map(\.text))
        {
            return true
        }
        for (index, word) in words.enumerated() {
            let isFirst = word.starts(with: firstName) && word.count <= firstName.count + 5
            let isLast = word.starts(with: lastNameStem) && word.count <= lastNameStem.count + 8
            guard isFirst || isLast else { continue }
            // Within six words, so that `Olen Kalle.` and `Sukunimeni on Heikkinen.` read together.
            for other in words[(index + 1)...].prefix(6) {
                if isFirst && other.starts(with: lastNameStem) && other.count <= lastNameStem.count + 8 { return true }
                if isLast && other.starts(with: firstName) && other.count <= firstName.count + 5 { return true }
            }
        }
        return false
    }

    /// `ä` → `a`, `ö` → `o`, `å` → `a`, `é` → `e`: names are written both ways.
    static func withoutDiacritics(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        scalars.map { scalar in
            switch scalar {
            case "ä", "å", "á", "à", "â", "ã": return "a"
            case "ö", "ó", "ò", "ô", "õ", "ø": return "o"
            case "é", "è", "ê", "ë": return "e"
            case "ü", "ú", "ù", "û": return "u"
            case "í", "ì", "î", "ï": return "i"
            default: return scalar
            }
        }
    }

    /// `needle` in `text` with no letter or digit straight before or after it.
    private func containsWord(_ needle: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Bool {
        guard !needle.isEmpty, text.count >= needle.count else { return false }
        var start = 0
        while start + needle.count <= text.count {
            if text[start] == needle[0], Array(text[start..<start + needle.count]) == needle,
                start == 0 || !text[start - 1].isWordCharacter,
                start + needle.count == text.count || !text[start + needle.count].isWordCharacter
            {
                return true
            }
            start += 1
        }
        return false
    }
}
