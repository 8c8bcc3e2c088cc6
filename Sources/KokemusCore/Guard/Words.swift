/// The words of a folded text (letters, digits, `_`, and dots between them), with where
/// each starts.
struct Words {
    struct Item {
        var text: String
        var start: Int
        var end: Int
    }

    private(set) var items: [Item] = []

    init(_ text: [Unicode.Scalar]) {
        var index = 0
        while index < text.count {
            guard text[index].isWordCharacter else {
                index += 1
                continue
            }
            var end = index
            while end < text.count,
                text[end].isWordCharacter || (text[end] == "." && end + 1 < text.count && text[end + 1].isWordCharacter)
            {
                end += 1
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: text[index..<end])
            items.append(Item(text: String(view), start: index, end: end))
            index = end
        }
    }
}
