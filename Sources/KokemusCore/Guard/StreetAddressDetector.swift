/// Finds street addresses with a house number in folded text: a Finnish or Swedish street name
/// (one word ending in a street word such as `-katu`, `-tie`, `-gatan`, in any case: `Rauhankadulla`,
/// `Aleksanterinkadun`, `Mannerheimintiellä`) or a name with no such ending (`Bulevardi`,
/// `Esplanadi`), followed by a house number (`12`, `12 b 5`, `12b`, `4:ssä`); and the English
/// order, a number before a name and `street`/`road`. A street name alone is a meeting place
/// (`Rauhankadulla kahvilan edessä`) and passes, and so does a name with a time after it
/// (`Rauhankadulla 14.30`). `Toipumisen polku 3` is two words: a group's name, not a street.
enum StreetAddressDetector {
    /// Street words and the stems their inflected forms are built on (`katu`: `kadu-lla`).
    private static let streetStems: [String] = [
        "katu", "kadu", "tie", "polku", "polu", "kuja", "väylä", "väyl", "raitti", "raiti", "ranta", "ranna", "aukio",
        "tori", "puistikko", "puistiko", "rinne", "rintee", "mäki", "mäe", "kaari", "kaare", "kaart", "kierto",
        "kierro", "kaarre", "kaartee", "tanhua", "vainio", "silta", "sillalla", "sillalle", "sillalta", "sillan",
        "puisto", "lenkki", "lenki", "niitty", "niity", "ahde", "ahtee", "kallio", "metsä", "metsä", "laakso", "rivi",
        "kumpu", "kummu", "notko", "syrjä", "törmä", "pelto", "pello", "kaski", "kaske", "harju", "rinne", "piha",
        "portti", "porti", "polku", "kuja", "mäki", "haka", "hagen", "slingan", "bågen", "ängen", "kulla", "backe",
        "gatan", "gata", "vägen", "väg", "gränd", "gränden", "stigen", "stig", "torget", "torg", "strand", "stranden",
        "backen", "allén", "allé", "kajen", "esplanaden", "parken", "leden", "bron",
    ]

    /// Case endings that may follow a stem (Finnish cases, `-kin`, Swedish genitive `s`).
    private static let endings: Set<String> = [
        "", "n", "a", "ä", "lla", "llä", "lle", "lta", "ltä", "ssa", "ssä", "sta", "stä", "an", "en", "na", "nä",
        "ksi", "han", "hen", "hin", "kin", "nkin", "llakin", "s", "ta", "tä", "seen", "t", "ille", "illa", "ilta",
    ]

    /// Names of streets with no street word in them.
    private static let plainNames: [String] = ["bulevardi", "bulevarden", "esplanadi", "esplanaden"]

    /// Words for the parts of a home after the street (`talo`, `rappu`, `asunto`, `lgh`, `flat`).
    private static let dwellingWords: Set<String> = [
        "talo", "rappu", "porras", "asunto", "as", "huoneisto", "lgh", "lägenhet", "bostad", "trappa", "trappan", "flat",
        "apartment", "apt", "unit", "house",
    ]

    /// Words after a number that make it a sum, a length or an ordinal, not a house number.
    private static let unitWords: Set<String> = [
        "e", "eur", "euro", "euroa", "€", "km", "m", "min", "h", "krs", "kerros", "kerroksessa", "tuntia", "tunti", "timmar",
        "timme", "hours", "minutes", "våning", "floor", "kpl", "st", "hlö", "henkeä", "personer", "people", "vuotta",
        "år", "years", "kertaa", "gånger", "times", "pv", "päivää", "dagar", "days", "viikkoa", "veckor", "weeks",
    ]

    static let englishStreetWords: Set<String> = [
        "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "boulevard", "blvd", "way",
    ]

    static func contains(in text: [Unicode.Scalar]) -> Bool {
        let words = Words(text).items
        for (position, word) in words.enumerated() {
            let next = position + 1 < words.count ? words[position + 1] : nil
            let isStreet =
                isStreetName(word.text)
                || (position > 0 && separateStreetWords.contains(word.text)
                    && gap(text, from: words[position - 1].end, to: word.start))
            if let next, isStreet, isHouseNumber(next, after: word, words: words, position: position + 1, in: text) {
                return true
            }
            // `Rantakatu3,07900Loviisa`: the number glued to the street's name.
            if let split = word.text.unicodeScalars.firstIndex(where: \.isASCIIDigit), split > word.text.unicodeScalars.startIndex,
                word.text.unicodeScalars[split...].allSatisfy(\.isASCIIDigit), word.text.unicodeScalars[split...].count <= 4,
                isStreetName(String(word.text.unicodeScalars[..<split]))
            {
                return true
            }
            // `Rauhankadulla, talo kaksitoista, B-rappu` (number words are digits by now).
            if isStreetName(word.text) {
                let window = words.dropFirst(position + 1).prefix(5)
                for (offset, candidate) in window.enumerated() where dwellingWords.contains(candidate.text) {
                    let after = words.dropFirst(position + 2 + offset).first
                    if let after, after.text.unicodeScalars.first?.isASCIIDigit == true { return true }
                }
            }
            // `Rauhank. 12 B 5`, `Välskärink. 4 as. 12`: an abbreviated street word, a number and a
            // staircase or a flat.
            if let next, isAbbreviatedStreet(word, in: text), position + 2 < words.count,
                isHouseNumber(next, after: word, words: words, position: position + 1, in: text, gapAllowsDot: true),
                (words[position + 2].text.unicodeScalars.count == 1 && words[position + 2].text.unicodeScalars.first!.isASCIILetter)
                    || dwellingWords.contains(words[position + 2].text)
            {
                return true
            }
            // `12 Rauhankatu`, `12 Baker Street`.
            if let next, word.text.unicodeScalars.allSatisfy(\.isASCIIDigit), (1...4).contains(word.text.unicodeScalars.count),
                gap(text, from: word.end, to: next.start), position == 0 || !clockWords.contains(words[position - 1].text)
            {
                if isStreetName(next.text, nominativeOnly: true) { return true }
                if position + 2 < words.count, englishStreetWords.contains(words[position + 2].text),
                    next.text.unicodeScalars.first?.properties.isAlphabetic == true
                {
                    return true
                }
            }
        }
        return false
    }

    private static let clockWords: Set<String> = ["klo", "kl", "kello", "clock", "time", "aika", "bussi", "linja", "buss"]

    /// `rauhank`, `mannerheimint`, `runebergsg` straight before a dot: a street word cut short.
    private static func isAbbreviatedStreet(_ word: Words.Item, in text: [Unicode.Scalar]) -> Bool {
        let scalars = word.text.unicodeScalars
        guard scalars.count >= 5, word.end < text.count, text[word.end] == ".",
            scalars.allSatisfy({ $0.properties.isAlphabetic }), let last = scalars.last
        else { return false }
        return ["k", "t", "g", "v"].contains(last)
    }

    /// Swedish street words specific enough to stand after a name of one letter (`Ågatan`).
    private static let swedishStems: Set<String> = ["gatan", "gata", "vägen", "gränd", "gränden", "stigen", "torget"]

    /// Street words written as a word of their own after the name (`Rauhan katu 12`,
    /// `Aleksis Kiven katu 33`); `polku` is not among them (`Toipumisen polku 3` is a group).
    private static let separateStreetWords: Set<String> = [
        "katu", "kadulla", "kadun", "tie", "tiellä", "tien", "gatan", "gata",
        "vägen", "väg", "kuja", "kujalla", "street", "road",
    ]

    /// The stems as scalars, longest ending first considered: built once.
    private static let stemScalars: [(stem: [Unicode.Scalar], swedish: Bool)] =
        streetStems.map { (Array($0.unicodeScalars), swedishStems.contains($0)) }
    private static let longestEnding = endings.map { $0.unicodeScalars.count }.max() ?? 0

    static func isStreetName(_ word: String, nominativeOnly: Bool = false) -> Bool {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 4, scalars.count <= 60, scalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "-" }) else {
            return false
        }
        if !nominativeOnly, plainNames.contains(where: { word.contains($0) }) { return true }
        for (stem, swedish) in stemScalars {
            // The stem inside a compound (three letters before it, one for Swedish), followed by
            // a case ending: only the last positions of the word can hold it.
            let earliest = max(swedish ? 1 : 3, scalars.count - stem.count - (nominativeOnly ? 0 : longestEnding))
            var start = scalars.count - stem.count
            while start >= earliest {
                if scalars[start..<start + stem.count].elementsEqual(stem) {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[(start + stem.count)...])
                    let ending = String(view)
                    if nominativeOnly ? ending.isEmpty : endings.contains(ending) { return true }
                }
                start -= 1
            }
        }
        return false
    }

    /// The word after a street name is a house number: digits (with a letter glued or a case
    /// ending after a colon), not a time or a date (`14.30`, `8.12.`), nor a sum, a length or a
    /// floor (`2 €`, `3 km`, `3. krs`).
    private static func isHouseNumber(
        _ word: Words.Item, after street: Words.Item, words: [Words.Item], position: Int,
        in text: [Unicode.Scalar], gapAllowsDot: Bool = false
    ) -> Bool {
        guard gap(text, from: street.end, to: word.start, allowingDot: gapAllowsDot) else { return false }
        var word = word
        // `nro 12`, `n:o 12`, `no. 12`: the word for "number" before it.
        if ["nro", "no", "n", "nr", "numero", "nummer"].contains(word.text), position + 1 < words.count,
            words[position + 1].start - word.end <= 4
        {
            word = words[position + 1]
        }
        let scalars = Array(word.text.unicodeScalars)
        var digits = 0
        while digits < scalars.count, scalars[digits].isASCIIDigit { digits += 1 }
        guard (1...4).contains(digits) else { return false }
        let rest = scalars[digits...]
        // `12`, `12b`, `12a5`; not `14.30`, which Words keeps as one word.
        guard rest.isEmpty || (rest.count <= 3 && rest.first!.isASCIILetter && !rest.contains(".")) else { return false }
        // A dot straight after the number makes it a date, a time or an ordinal.
        if word.end < text.count, text[word.end] == "." { return false }
        // A currency sign or a unit after it makes it a sum or a length.
        var after = word.end
        while after < text.count, text[after] == " " { after += 1 }
        if after < text.count, text[after].properties.generalCategory == .currencySymbol || text[after] == "%" { return false }
        if position + 1 < words.count, words[position + 1].start == after, unitWords.contains(words[position + 1].text) {
            return false
        }
        return true
    }

    /// Only spaces and commas between two words.
    private static func gap(_ text: [Unicode.Scalar], from start: Int, to end: Int, allowingDot: Bool = false) -> Bool {
        end > start && end - start <= 3
            && text[start..<end].allSatisfy {
                $0 == " " || $0 == "," || $0 == "#" || $0 == ":"
                    || allowingDot && $0 == "."
            }
    }
}
