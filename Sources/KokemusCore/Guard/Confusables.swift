/// Letters of other scripts that look like Latin letters, from Unicode TR39's confusables
/// (Cyrillic and Greek, upper and lower case), each to the lower-case Latin letter it passes
/// for: `+358 4О` with a Cyrillic О, `kalle@pоsti.fi` with a Cyrillic о, `131052-308Т`.
enum Confusables {
    static let latin: [UInt32: Unicode.Scalar] = {
        let pairs: [(String, Unicode.Scalar)] = [
            // Cyrillic
            ("аА", "a"), ("вВ", "b"), ("еЕёЁ", "e"), ("кК", "k"), ("мМ", "m"), ("нН", "h"), ("оО", "o"),
            ("рР", "p"), ("сС", "c"), ("тТ", "t"), ("уУ", "y"), ("хХ", "x"), ("іІ", "i"), ("їЇ", "i"),
            ("јЈ", "j"), ("ѕЅ", "s"), ("ԁ", "d"), ("ԛԚ", "q"), ("ԝԜ", "w"), ("ъ", "b"), ("ьЬ", "b"),
            ("зЗ", "3"), ("бБ", "6"), ("ч", "4"), ("һҺ", "h"), ("ӏӀ", "l"), ("ɡ", "g"),
            // Greek
            ("αΑ", "a"), ("βΒ", "b"), ("εΕ", "e"), ("ζΖ", "z"), ("ηΗ", "h"), ("ιΙ", "i"), ("κΚ", "k"),
            ("μΜ", "m"), ("νΝ", "v"), ("οΟ", "o"), ("ρΡ", "p"), ("τΤ", "t"), ("υΥ", "u"), ("χΧ", "x"),
            ("γ", "y"), ("ω", "w"),
            // Others that pass for Latin letters
            ("ıİ", "i"), ("ȷ", "j"), ("օ", "o"), ("ℓ", "l"), ("ⅼ", "l"), ("ǀ", "l"),
        ]
        var table: [UInt32: Unicode.Scalar] = [:]
        for (letters, latin) in pairs {
            for scalar in letters.unicodeScalars { table[scalar.value] = latin }
        }
        return table
    }()
}
