/// Number words in Finnish (standard and spoken), Swedish and English, read as digits, so that
/// `nolla neljä nolla`, `nollaneljänolla`, `kasi ysi`, `noll fyra` and `oh four oh` are found as
/// the numbers they are. A word is read only when the whole of it is number words (a word
/// such as `kolmen` is not `3`); within a word, tens and teens compose (`neljäkymmentäkaksi`
/// is `42`), across words they do not (each word's digits follow the last word's).
enum NumberWords {
    /// What a piece of a word means.
    private enum Atom {
        /// 0–9.
        case unit(Int)
        /// A value of its own: 10–19, 20, 30 … 90 (`kymmenen`, `tolv`, `twenty`).
        case value(Int)
        /// `kymmentä`, `kyt`: the unit before it times ten.
        case tens
        /// `toista`: ten plus the unit before it.
        case teen
        /// `sata`, `sataa`, `hundra`, `hundred`: the unit before it (or one) times a hundred.
        case hundred
    }

    private static let atoms: [String: Atom] = {
        var table: [String: Atom] = [:]
        let units: [(Int, [String])] = [
            (0, ["nolla", "nollaa", "noll", "noll", "zero", "nought"]),
            (1, ["yksi", "yks", "yhden", "ykkönen", "ykkö", "ett", "one"]),
            (2, ["kaksi", "kaks", "kahden", "kakkonen", "kakko", "två", "tva", "two"]),
            (3, ["kolme", "kol", "kolm", "kolmonen", "kolmo", "tre", "three"]),
            (4, ["neljä", "nelj", "nel", "nelonen", "nelo", "fyra", "four"]),
            (5, ["viisi", "viis", "vii", "vitonen", "vito", "fem", "five"]),
            (6, ["kuusi", "kuus", "kutonen", "kuto", "sex", "six"]),
            (7, ["seitsemän", "seittemän", "seitsemä", "seiska", "seitkä", "sju", "seven"]),
            (8, ["kahdeksan", "kaheksan", "kahdeksa", "kasi", "kasii", "åtta", "atta", "eight"]),
            (9, ["yhdeksän", "yheksän", "yhdeksä", "ysi", "ysii", "nio", "nine"]),
        ]
        for (digit, words) in units { for word in words { table[word] = .unit(digit) } }
        let values: [(Int, [String])] = [
            (10, ["kymmenen", "kymppi", "kymp", "tio", "ten"]),
            (11, ["elva", "eleven"]), (12, ["tolv", "twelve"]), (13, ["tretton", "thirteen"]),
            (14, ["fjorton", "fourteen"]), (15, ["femton", "fifteen"]), (16, ["sexton", "sixteen"]),
            (17, ["sjutton", "seventeen"]), (18, ["arton", "eighteen"]), (19, ["nitton", "nineteen"]),
            (20, ["tjugo", "tjugu", "twenty"]), (30, ["trettio", "thirty"]), (40, ["fyrtio", "forty"]),
            (50, ["femtio", "fifty"]), (60, ["sextio", "sixty"]), (70, ["sjuttio", "seventy"]),
            (80, ["åttio", "attio", "eighty"]), (90, ["nittio", "ninety"]),
        ]
        for (number, words) in values { for word in words { table[word] = .value(number) } }
        for word in ["kymmentä", "kymment", "kyt", "kytä", "kymppiä"] { table[word] = .tens }
        // Spoken stems that only come before `kyt` or `sataa` (`seitkyt`, `kaheksankyt`).
        for (word, digit) in [("seit", 7), ("seis", 7), ("kahek", 8), ("kaheks", 8), ("yhek", 9), ("yheks", 9)] {
            table[word] = .unit(digit)
        }
        for word in ["toista", "toist", "tois"] { table[word] = .teen }
        for word in ["sata", "sataa", "hundra", "hundred"] { table[word] = .hundred }
        return table
    }()

    /// Words that are number words only when they stand alone: as pieces of a longer word they
    /// would read too much (`en` in `kymmenen`, `o` in `two`).
    private static let aloneOnly: [String: Atom] = [
        "en": .unit(1), "o": .unit(0), "oh": .unit(0), "nol": .unit(0),
    ]

    private static let longestAtom = atoms.keys.map { $0.unicodeScalars.count }.max() ?? 0

    /// The first two letters of every atom: a word starting otherwise is no number word, which
    /// settles nearly every ordinary word without trying to split it.
    private static let openings: Set<String> = Set(atoms.keys.map { String($0.prefix(2)) })

    /// The digits a word of number words stands for, or nil when it is anything else.
    static func digits(for word: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        // Number words are at most a few dozen letters each; a long run of letters is no number.
        guard word.count <= 80, word.allSatisfy({ !$0.isASCIIDigit }) else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: word)
        let text = String(view)
        if let atom = aloneOnly[text] { return render([atom]) }
        guard word.count >= 2, openings.contains(String(text.prefix(2))), let pieces = segment(word) else { return nil }
        return render(pieces)
    }

    /// The digit a word names in the plural or the partitive, as in `kolme nollaa`, `kaks
    /// seiskaa`, `three sevens`: after a lone digit, that many of it.
    static func partitiveDigit(_ word: [Unicode.Scalar]) -> Unicode.Scalar? {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: word)
        return partitives[String(view)]
    }

    private static let partitives: [String: Unicode.Scalar] = {
        let forms: [(Unicode.Scalar, [String])] = [
            ("0", ["nollaa", "nollia", "nollat", "nollor", "zeros", "zeroes", "noughts", "nollor"]),
            ("1", ["ykköstä", "ykkösiä", "ettor", "ones"]), ("2", ["kakkosta", "kakkosia", "tvåor", "twos"]),
            ("3", ["kolmosta", "kolmosia", "treor", "threes"]), ("4", ["nelosta", "neloisia", "fyror", "fours"]),
            ("5", ["vitosta", "vitosia", "femmor", "fives"]), ("6", ["kutosta", "kutosia", "sexor", "sixes"]),
            ("7", ["seiskaa", "seiskoja", "seitsemää", "sjuor", "sevens"]),
            ("8", ["kasia", "kasii", "kaseja", "kahdeksaa", "åttor", "eights"]),
            ("9", ["ysiä", "ysii", "ysejä", "yhdeksää", "nior", "nines"]),
        ]
        var table: [String: Unicode.Scalar] = [:]
        for (digit, words) in forms { for word in words { table[word] = digit } }
        return table
    }()

    /// `double`, `tupla`, `triple`: the next digit twice or three times.
    static func multiplier(_ word: [Unicode.Scalar]) -> Int? {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: word)
        switch String(view) {
        case "double", "tupla", "tuplana", "dubbel", "dubbla": return 2
        case "triple", "tripla", "triplana", "trippel", "trippla": return 3
        default: return nil
        }
    }

    /// The word as a sequence of atoms that covers all of it, preferring longer atoms (dynamic
    /// programming over the word's positions: linear in its length).
    private static func segment(_ word: [Unicode.Scalar]) -> [Atom]? {
        let count = word.count
        guard count > 0 else { return nil }
        // best[i]: a segmentation of word[i...] as (atom, next position), or nil.
        var next = [Int](repeating: -1, count: count + 1)
        var atomAt = [Atom?](repeating: nil, count: count + 1)
        next[count] = count
        var position = count - 1
        while position >= 0 {
            var length = min(longestAtom, count - position)
            while length > 0 {
                let end = position + length
                if next[end] >= 0 {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: word[position..<end])
                    if let atom = atoms[String(view)] {
                        next[position] = end
                        atomAt[position] = atom
                        break
                    }
                }
                length -= 1
            }
            position -= 1
        }
        guard next[0] >= 0 else { return nil }
        var pieces: [Atom] = []
        var cursor = 0
        while cursor < count, let atom = atomAt[cursor] {
            pieces.append(atom)
            cursor = next[cursor]
        }
        return pieces
    }

    /// Atoms to digits: `4 tens 2` is 42, `1 teen` 11, `1 hundred 2 tens 3` 123; units in a row
    /// are digits in a row (`0 4 0`).
    private static func render(_ pieces: [Atom]) -> [Unicode.Scalar]? {
        var output: [Unicode.Scalar] = []
        var index = 0
        func unit(at position: Int) -> Int? {
            guard position < pieces.count, case .unit(let digit) = pieces[position] else { return nil }
            return digit
        }
        while index < pieces.count {
            var number = 0
            var consumed = false
            // Hundreds: `[unit] hundred`.
            if let digit = unit(at: index), index + 1 < pieces.count, case .hundred = pieces[index + 1] {
                number = digit * 100
                index += 2
                consumed = true
            } else if case .hundred = pieces[index] {
                number = 100
                index += 1
                consumed = true
            }
            // Tens and teens: `unit tens [unit]`, `unit teen`, `value [unit]`.
            if let digit = unit(at: index), index + 1 < pieces.count, case .tens = pieces[index + 1] {
                number += digit * 10
                index += 2
                if let last = unit(at: index) {
                    number += last
                    index += 1
                }
                consumed = true
            } else if let digit = unit(at: index), index + 1 < pieces.count, case .teen = pieces[index + 1] {
                number += 10 + digit
                index += 2
                consumed = true
            } else if index < pieces.count, case .value(let value) = pieces[index] {
                number += value
                index += 1
                if value >= 20, let last = unit(at: index) {
                    number += last
                    index += 1
                }
                consumed = true
            } else if consumed, let last = unit(at: index) {
                number += last
                index += 1
            }
            if consumed {
                output.append(contentsOf: String(number).unicodeScalars)
                continue
            }
            guard let digit = unit(at: index) else { return nil }  // `tens` or `teen` with no unit
            output.append(Unicode.Scalar(UInt8(ascii: "0") + UInt8(digit)))
            index += 1
        }
        return output
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { (0x30...0x39).contains(value) }
}
