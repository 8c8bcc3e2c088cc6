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
            // Others that pass for Latin letters, small capitals among them (`ɪɴsᴛᴀ`)
            ("ıİ", "i"), ("ȷ", "j"), ("օ", "o"), ("ℓ", "l"), ("ⅼ", "l"), ("ǀ", "l"),
            ("ᴀ", "a"), ("ʙ", "b"), ("ᴄ", "c"), ("ᴅ", "d"), ("ᴇ", "e"), ("ғ", "f"), ("ɢ", "g"), ("ʜ", "h"), ("ɪ", "i"),
            ("ᴊ", "j"), ("ᴋ", "k"), ("ʟ", "l"), ("ᴍ", "m"), ("ɴ", "n"), ("ᴏ", "o"), ("ᴘ", "p"), ("ʀ", "r"), ("ꜱ", "s"),
            ("ᴛ", "t"), ("ᴜ", "u"), ("ᴠ", "v"), ("ᴡ", "w"), ("ʏ", "y"), ("ᴢ", "z"),
            // Digits NFKC leaves alone: CJK numerals and the ideographic zero.
            ("〇零", "0"), ("一", "1"), ("二", "2"), ("三", "3"), ("四", "4"), ("五", "5"), ("六", "6"), ("七", "7"),
            ("八", "8"), ("九", "9"),
            // Fillers that show as blank space.
            ("\u{115F}\u{1160}\u{3164}\u{FFA0}\u{2800}", " "),
        ]
        var table: [UInt32: Unicode.Scalar] = [:]
        for (letters, latin) in pairs {
            for scalar in letters.unicodeScalars { table[scalar.value] = latin }
        }
        // Squared, negative circled and negative squared letters, and regional indicators
        // (🄰, 🅐, 🅰, 🇦): emoji letters NFKC does not map.
        for base: UInt32 in [0x1F130, 0x1F150, 0x1F170, 0x1F1E6] {
            for offset: UInt32 in 0..<26 { table[base + offset] = Unicode.Scalar(0x61 + offset) }
        }
        return table
    }()
}
