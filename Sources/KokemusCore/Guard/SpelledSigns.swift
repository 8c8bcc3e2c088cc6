/// The ways people write `@` and `.` in words to get an address past a filter: `at`, `ät`,
/// `miukumauku`, `kissanhäntä`, `snabel-a`, `piste`, `punkt`, `dot` (also in brackets), and `:` as
/// `kaksoispiste`, `kolon`, `colon` (for Matrix IDs).
enum SpelledSigns {
    private static let signs: [String: Unicode.Scalar] = {
        var table: [String: Unicode.Scalar] = [:]
        for word in [
            "at", "ät", "aet", "miukumauku", "miukumau", "kissanhäntä", "kissanhanta", "snabela", "snabel",
            "ätmerkki", "atmerkki", "ättä", "atmark", "atsign", "arobase",
        ] {
            table[word] = "@"
        }
        for word in ["piste", "pisteen", "punkt", "punkten", "dot", "dott", "pist"] { table[word] = "." }
        for word in ["kaksoispiste", "kaksoispisteen", "colon", "kolon"] { table[word] = ":" }
        for word in ["alaviiva", "underscore", "understreck"] { table[word] = "_" }
        for word in ["viiva", "väliviiva", "tavuviiva", "streck", "bindestreck", "dash", "hyphen"] { table[word] = "-" }
        return table
    }()

    /// `@` or `.` for a word that spells one, else nil.
    static func sign(for word: [Unicode.Scalar]) -> Unicode.Scalar? {
        guard word.count <= 12 else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: word)
        return signs[String(view)]
    }
}
