import Foundation

/// Finds Finnish personal identity codes (henkilötunnus, `DDMMYYCZZZQ`) in free text, so
/// that a client's identity never enters an order or a relayed message.
public enum PersonalIdentityCode {
    private static let checkCharacters = Array("0123456789ABCDEFHJKLMNPRSTUVWXY")
    /// Century signs: `+` 1800s, `-` and `Y X W V U` 1900s, `A B C D E F` 2000s.
    private static let centurySigns: [Character: Int] = [
        "+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
        "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000,
    ]

    /// Every valid code in `text` (check character and date verified), as written.
    public static func find(in text: String) -> [String] {
        let characters = Array(text.uppercased())
        var found: [String] = []
        var index = 0
        while index + 11 <= characters.count {
            let candidate = Array(characters[index..<index + 11])
            let before = index > 0 ? characters[index - 1] : " "
            let after = index + 11 < characters.count ? characters[index + 11] : " "
            if !before.isNumber, !before.isLetter, !after.isNumber, !after.isLetter, isValid(candidate) {
                found.append(String(candidate))
                index += 11
            } else {
                index += 1
            }
        }
        return found
    }

    /// Whether `text` contains at least one valid code.
    public static func contains(in text: String) -> Bool {
        !find(in: text).isEmpty
    }

    static func isValid(_ code: [Character]) -> Bool {
        guard code.count == 11,
              code[0..<6].allSatisfy(\.isASCIIDigitCharacter),
              code[7..<10].allSatisfy(\.isASCIIDigitCharacter),
              let century = centurySigns[code[6]],
              let day = Int(String(code[0..<2])), let month = Int(String(code[2..<4])),
              let year = Int(String(code[4..<6])),
              let number = Int(String(code[0..<6]) + String(code[7..<10]))
        else { return false }
        guard (1...12).contains(month), (1...31).contains(day),
              LocalTime.helsinki.date(year: century + year, month: month, day: day) != nil
        else { return false }
        return checkCharacters[number % 31] == code[10]
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
