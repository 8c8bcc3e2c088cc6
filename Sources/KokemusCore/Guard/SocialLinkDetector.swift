/// Finds ways to reach a person on a messaging or social service: links (`wa.me/…`,
/// `t.me/…`, `facebook.com/…`, `matrix.to/#/…`) and a handle named with the service
/// (`insta: kalle_h92`, `telegram @kalle`, `snäppi kalle.h`). The service's name alone
/// (`kunnan Facebook-sivulla`) is ordinary talk and passes.
enum SocialLinkDetector {
    /// Hosts, and how much of the host must match (the whole name or its end after a dot).
    private static let hosts: Set<String> = [
        "wa.me", "whatsapp.com", "wa.link", "api.whatsapp.com", "chat.whatsapp.com", "t.me", "telegram.me", "telegram.org",
        "telegram.dog", "m.me", "messenger.com", "facebook.com", "fb.com", "fb.me", "instagram.com", "instagr.am", "ig.me",
        "signal.me", "signal.group", "snapchat.com", "tiktok.com", "discord.gg", "discord.com", "discordapp.com",
        "x.com", "twitter.com", "linkedin.com", "threads.net", "threads.com", "vk.com", "matrix.to", "element.io",
        "app.element.io", "line.me", "viber.com", "kik.me", "skype.com", "join.skype.com", "onlyfans.com",
        "youtube.com", "youtu.be", "tinder.com", "jodel.com", "suomi24.fi", "keybase.io", "mastodon.social",
        "bsky.app", "wickr.com", "session.org", "threema.id", "wire.com", "teams.live.com", "zoom.us",
        // Link pages that list a person's accounts.
        "linktr.ee", "lnk.bio", "beacons.ai", "carrd.co", "bio.link", "taplink.cc", "about.me", "solo.to",
        // Short links, which hide where they lead.
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "is.gd", "ow.ly", "shorturl.at", "cutt.ly", "rebrand.ly", "rb.gy",
        "tiny.cc", "s.id", "bl.ink",
        // Pages of a person on sale, support and dating sites.
        "patreon.com", "ko-fi.com", "buymeacoffee.com", "tori.fi", "vinted.fi", "vinted.com", "huuto.net",
        "deitti.net", "badoo.com", "bumble.com", "hinge.co", "grindr.com", "kik.com", "tellonym.me", "ask.fm",
    ]

    /// Beginnings of service names as people write them in fi/sv/en (`facebookista`, `instassa`,
    /// `snäppiin`, `whatsappiin`, `wattsappiin`).
    private static let serviceStems: [String] = [
        "facebook", "face", "fb", "insta", "instagram", "ig", "snap", "snäp", "snäpp", "tiktok", "telegram", "telkku",
        "tg", "whatsapp", "whatsup", "watsap", "watsapp", "wattsap", "wattsapp", "wapp", "wa", "signal", "signaali",
        "discord", "twitter", "linkedin", "messenger", "mese", "skype", "kik", "threads", "wickr", "viber", "jodel",
        "tinder", "bluesky", "bsky", "mastodon", "threema", "youtube", "onlyfans", "vk", "keybase",
        "käyttäjänimi", "käyttäjätunnu", "username", "användarnamn", "nikki", "nick", "nimimerk", "somessa", "somess",
        "reddit", "pinterest", "twitch", "steam", "vinted", "teams", "spotify", "github", "tumblr", "wechat", "strava",
        "mobilepay", "paypal", "revolut", "revtag", "venmo", "swish", "fonecta", "finder", "eniro", "hitta", "ratsit",
        "merinfo", "numeropalvelu", "snäppi", "x:ssä", "twitterissä",
    ]

    static func contains(in text: [Unicode.Scalar]) -> Bool {
        containsServiceLink(text) || containsNamedHandle(text) || containsBareHandle(text) || containsOwnWebsite(text)
    }

    /// `@pirkko_s`, `@kalle.h92`: a handle standing on its own (a word after a space that
    /// starts with `@` and has `_`, `.` or digits in it). `@Anna` is a mention and passes.
    private static func containsBareHandle(_ text: [Unicode.Scalar]) -> Bool {
        for word in Words(text).items
        where word.start >= 1 && text[word.start - 1] == "@"
            && (word.start == 1 || !text[word.start - 2].isWordCharacter) && AddressDetectors.isHandle(word.text)
        {
            return true
        }
        return false
    }

    private static let websiteWords = [
        "kotisivu", "kotisivuilla", "nettisivu", "sivustoni", "blogi", "hemsida", "webbsida",
        "blogg", "website", "homepage", "blog", "portfolio", "verkkosivu", "www",
    ]

    /// A home page or blog of one's own with its address (`kotisivuni www.tanjanvertaistuki.fi`,
    /// `hxxps://kotisivu-elina[.]fi`): a website word and a host name.
    private static func containsOwnWebsite(_ text: [Unicode.Scalar]) -> Bool {
        let words = Words(text).items
        guard
            words.contains(where: { word in
                websiteWords.contains { word.text.hasPrefix($0) } || word.text.hasPrefix("www.")
                    || word.text.hasPrefix("vvv.") || word.text.hasPrefix("hxxp")
                    || word.text.contains("kotisivu")
            })
        else { return false }
        return words.contains { AddressDetectors.isHost($0.text) }
    }

    /// A service named with a person's full name near it (`Find me on Facebook: Pirkko
    /// Korhonen`, `Jag heter Rasmus Lindholm på Facebook`): two capitalised words in a row
    /// within six words of the service's name. Read on the text as written, for its capitals.
    static func containsNamedProfile(in original: String) -> Bool {
        var words: [(folded: String, capitalised: Bool)] = []
        var current = ""
        for character in original + " " {
            if character.isLetter || character == "-" && !current.isEmpty {
                current.append(character)
            } else if !current.isEmpty {
                let first = current.first!
                // `Korhonen`, `Suvanto-Peltola`.
                let parts = current.split(separator: "-")
                let capitalised =
                    first.isUppercase && current.count >= 2
                    && parts.allSatisfy { $0.first?.isUppercase == true && $0.dropFirst().allSatisfy(\.isLowercase) }
                words.append((current.lowercased(), capitalised))
                current = ""
                if words.count > 10_000 { break }
            }
        }
        for (position, word) in words.enumerated() where isServiceName(word.folded) {
            let low = max(0, position - 6)
            let high = min(words.count - 1, position + 7)
            guard low < high else { continue }
            for index in low..<high
            where index != position && index + 1 != position
                && words[index].capitalised && words[index + 1].capitalised
                && !isServiceName(words[index].folded) && !isServiceName(words[index + 1].folded)
            {
                return true
            }
        }
        return false
    }

    /// A host-like word (letters, digits, dots, dashes) whose end is a listed host.
    private static func containsServiceLink(_ text: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < text.count {
            guard text[index].isWordCharacter else {
                index += 1
                continue
            }
            var end = index
            var dots = 0
            while end < text.count,
                text[end].isWordCharacter || text[end] == "-"
                    || (text[end] == "." && end + 1 < text.count
                        && text[end + 1].isWordCharacter)
            {
                if text[end] == "." { dots += 1 }
                end += 1
            }
            if dots > 0, end - index <= 253 {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: text[index..<end])
                let host = String(view)
                if hosts.contains(host) || hosts.contains(where: { host.hasSuffix("." + $0) }) { return true }
            }
            index = end
        }
        return false
    }

    /// A service's name followed, within three words, by a handle: a word with `@` before it,
    /// or a word that mixes letters with digits, `_` or `.`.
    private static func containsNamedHandle(_ text: [Unicode.Scalar]) -> Bool {
        let words = Words(text)
        for (position, word) in words.items.enumerated() where isServiceName(word.text) {
            for next in words.items.dropFirst(position + 1).prefix(3) where isHandle(next, in: text) {
                return true
            }
        }
        return false
    }

    /// Whether any of the (folded) words names a messaging or social service.
    static func namesService(_ words: [String]) -> Bool {
        words.contains(where: isServiceName)
    }

    private static func isServiceName(_ word: String) -> Bool {
        guard word.unicodeScalars.count <= 20 else { return false }
        return serviceStems.contains { stem in
            stem.count <= 2 ? word == stem : word.hasPrefix(stem)
        }
    }

    private static func isHandle(_ word: Words.Item, in text: [Unicode.Scalar]) -> Bool {
        // `@kalle_h`, but not `work@all`, which is `at all` read as a spelled sign.
        let afterAt = word.start > 0 && text[word.start - 1] == "@" && (word.start == 1 || !text[word.start - 2].isWordCharacter)
        let scalars = word.text.unicodeScalars
        let letters = scalars.filter(\.properties.isAlphabetic).count
        guard letters >= 2 else { return false }
        if afterAt { return true }
        // A Discord tag: `ukkopekka#4471`.
        if word.end + 1 < text.count, text[word.end] == "#", text[word.end + 1].isASCIIDigit { return true }
        let marks = scalars.filter { $0.isASCIIDigit || $0 == "_" || $0 == "." }.count
        return marks > 0 && scalars.count >= 4
    }
}
