import Foundation

/// Reads the registry from the `*.yaml` files of a directory. Each file may hold
/// `units:` and `people:` lists; all problems are reported together as `FILE:LINE`.
public enum RegistryLoader {
    public static func load(directory: URL) throws -> Registry {
        try load(sources: YAMLDirectory.read(directory, what: "registry"))
    }

    /// Parses registry sources given as (file name, text).
    public static func load(sources: [(file: String, text: String)]) throws -> Registry {
        let diagnostics = Diagnostics()
        var units: [(Unit, String, Int?)] = []
        var people: [(Person, String, Int?)] = []
        for (file, text) in sources {
            guard let root = YAMLValue.parse(text, file: file, diagnostics: diagnostics),
                let map = root.mapping("the registry file", allowedKeys: ["units", "people"])
            else { continue }
            for item in map.optional("units")?.sequence("units") ?? [] {
                if let unit = readUnit(item) { units.append((unit, file, item.line)) }
            }
            for item in map.optional("people")?.sequence("people") ?? [] {
                if let person = readPerson(item) { people.append((person, file, item.line)) }
            }
        }
        checkReferences(units: units, people: people, diagnostics: diagnostics)
        if !diagnostics.errors.isEmpty { throw ConfigErrors(diagnostics.errors) }
        return Registry(people: people.map(\.0), units: units.map(\.0))
    }

    private static func readUnit(_ value: YAMLValue) -> Unit? {
        guard
            let map = value.mapping(
                "a unit", allowedKeys: ["id", "name", "municipality", "cost_centre", "approver", "contact", "onboarding"]),
            let id = map.required("id")?.identifier("unit id"),
            let name = map.required("name")?.string("unit name"),
            let costCentre = map.required("cost_centre")?.string("cost_centre"),
            let approver = map.required("approver")?.identifier("approver")
        else { return nil }
        return Unit(
            id: UnitID(id), name: name, municipality: map.optional("municipality")?.string("municipality"),
            costCentre: costCentre, approver: PersonID(approver),
            contact: map.optional("contact")?.identifier("contact").map(PersonID.init),
            onboarding: map.optional("onboarding")?.localizedText("onboarding"))
    }

    private static func readPerson(_ value: YAMLValue) -> Person? {
        let keys: Set<String> = [
            "id", "name", "roles", "unit", "language", "channel", "contacts", "expert",
            "preferred_experts", "orders_for",
        ]
        guard let map = value.mapping("a person", allowedKeys: keys),
            let id = map.required("id")?.identifier("person id"),
            let name = map.required("name")?.string("name"),
            let roleNames = map.required("roles")?.stringList("roles")
        else { return nil }
        var roles: Set<Role> = []
        for roleName in roleNames {
            guard let role = Role(rawValue: roleName) else {
                map.required("roles")?.error("unknown role '\(roleName)' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            roles.insert(role)
        }
        var language = Language.fi
        if let languageValue = map.optional("language") {
            guard let text = languageValue.string("language"), let parsed = Language(rawValue: text) else {
                languageValue.error("language must be fi, sv or en")
                return nil
            }
            language = parsed
        }
        var channel: Channel?
        if let channelValue = map.optional("channel") {
            guard let text = channelValue.string("channel"), let parsed = Channel(rawValue: text) else {
                channelValue.error("channel must be one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            channel = parsed
        }
        var contacts = ContactAddresses()
        if let contactMap = map.optional("contacts")?.mapping(
            "contacts",
            allowedKeys: [
                "matrix", "email", "phone",
                "home_address",
            ])
        {
            contacts.homeAddress = contactMap.optional("home_address")?.string("home_address")
            contacts.matrix = contactMap.optional("matrix")?.string("matrix")
            contacts.email = contactMap.optional("email")?.string("email")
            contacts.phone = contactMap.optional("phone")?.string("phone")
        }
        var expert: ExpertProfile?
        if let expertValue = map.optional("expert") {
            expert = readExpert(expertValue)
            if expert == nil { return nil }
            if !roles.contains(.expert) { expertValue.error("'expert' details given but the roles lack 'expert'") }
            // The work phone may be shown to orderers; a private number given as one would leak.
            if let work = expert?.workPhone, let own = contacts.phone,
                work.filter(\.isASCIIDigitCharacter).suffix(9) == own.filter(\.isASCIIDigitCharacter).suffix(9)
            {
                expertValue.error(
                    "work_phone is the same number as the private contacts.phone: a work "
                        + "phone is one the county pays for, and a private number is never shown")
            }
        } else if roles.contains(.expert) {
            value.error("person '\(id)' has the role expert but no 'expert' details")
        }
        return Person(
            id: PersonID(id), name: name, roles: roles, unit: map.optional("unit")?.identifier("unit").map { UnitID($0) },
            language: language, contacts: contacts, preferredChannel: channel, expert: expert,
            preferredExperts: (map.optional("preferred_experts")?.stringList("preferred_experts") ?? []).map { PersonID($0) },
            ordersFor: (map.optional("orders_for")?.stringList("orders_for") ?? []).map { UnitID($0) })
    }

    /// A work phone as people write one: digits with spaces, dashes or a leading `+`, 7 to 15 digits.
    private static func workPhone(_ value: YAMLValue) -> String? {
        guard let text = value.string("work_phone") else { return nil }
        let digits = text.filter(\.isASCIIDigitCharacter)
        guard (7...15).contains(digits.count), text.allSatisfy({ $0.isASCIIDigitCharacter || " -+()".contains($0) }) else {
            value.error("work_phone must be a phone number such as +358 40 123 4567, not '\(text)'")
            return nil
        }
        return text
    }

    private static func readExpert(_ value: YAMLValue) -> ExpertProfile? {
        let keys: Set<String> = [
            "handle", "topics", "task_types", "languages", "municipalities", "training",
            "agreement_valid_from", "agreement_valid_until", "tax_card_year", "introduction",
            "monthly_cap_hours", "unavailable", "work_phone", "payment", "business_id", "earnings_limit",
            "role_profiles", "confidentiality_signed",
        ]
        guard let map = value.mapping("expert details", allowedKeys: keys),
            let handle = map.required("handle")?.string("handle")
        else { return nil }
        var taskTypes: [TaskType] = []
        for name in map.optional("task_types")?.stringList("task_types") ?? [] {
            guard let type = TaskType(rawValue: name) else {
                map.optional("task_types")?.error(
                    "unknown task type '\(name)' (known: \(TaskType.allCases.map(\.rawValue).joined(separator: ", ")))")
                return nil
            }
            taskTypes.append(type)
        }
        var languages: [Language] = []
        for name in map.optional("languages")?.stringList("languages") ?? [] {
            guard let language = Language(rawValue: name) else {
                map.optional("languages")?.error("unknown language '\(name)' (fi, sv or en)")
                return nil
            }
            languages.append(language)
        }
        let dates = ["agreement_valid_from", "agreement_valid_until", "confidentiality_signed"].map { key in
            map.optional(key).flatMap { day($0, key) }
        }
        var unavailable: [DayRange] = []
        for item in map.optional("unavailable")?.sequence("unavailable") ?? [] {
            guard let range = item.mapping("an unavailable period", allowedKeys: ["from", "until"]),
                let from = range.required("from").flatMap({ day($0, "from") }),
                let until = range.required("until").flatMap({ day($0, "until") })
            else { continue }
            guard from <= until else {
                item.error("an unavailable period runs from \(from) to \(until): from must not be after until")
                continue
            }
            unavailable.append(DayRange(from: from, until: until))
        }
        let payment = readPayment(map)
        guard let payment else { return nil }
        return ExpertProfile(
            handle: handle,
            topics: map.optional("topics")?.stringList("topics") ?? [],
            taskTypes: taskTypes,
            languages: languages,
            municipalities: map.optional("municipalities")?.stringList("municipalities") ?? [],
            training: map.optional("training")?.string("training"),
            agreementValidFrom: dates[0],
            agreementValidUntil: dates[1],
            taxCardYear: map.optional("tax_card_year")?.int("tax_card_year"),
            introduction: map.optional("introduction")?.localizedText("introduction"),
            monthlyCapHours: map.optional("monthly_cap_hours")?.int("monthly_cap_hours"),
            unavailable: unavailable,
            workPhone: map.optional("work_phone").flatMap(workPhone),
            paymentMode: payment.mode, businessID: payment.businessID, earningsLimitMonth: payment.month,
            earningsLimitYear: payment.year,
            roleProfiles: map.optional("role_profiles")?.stringList("role_profiles") ?? [],
            confidentialitySigned: dates[2])
    }

    /// `payment: fee | business_income | volunteer`, `business_id` (needed for business income,
    /// with a valid check digit) and `earnings_limit: {month: 800, year: 7000}` in euros.
    private static func readPayment(
        _ map: YAMLMap
    ) -> (mode: PaymentMode, businessID: String?, month: Money?, year: Money?)? {
        var mode = PaymentMode.fee
        if let value = map.optional("payment"), let text = value.string("payment") {
            guard let parsed = PaymentMode(registryName: text) else {
                value.error(
                    "payment must be one of \(PaymentMode.allCases.map(\.registryName).joined(separator: ", ")), not '\(text)'")
                return nil
            }
            mode = parsed
        }
        var businessID: String?
        if let value = map.optional("business_id"), let text = value.string("business_id") {
            guard BusinessID.isValid(text) else {
                value.error("business_id must be a Finnish business ID like 1234567-1 with its check digit, not '\(text)'")
                return nil
            }
            guard mode == .businessIncome else {
                value.error("business_id is given but payment is \(mode.registryName): write payment: business_income")
                return nil
            }
            businessID = text
        } else if mode == .businessIncome {
            (map.optional("payment") ?? map.owner).error("payment: business_income needs the expert's business_id (Y-tunnus)")
            return nil
        }
        var limits: [String: Money] = [:]
        if let value = map.optional("earnings_limit"),
            let limit = value.mapping("earnings_limit", allowedKeys: ["month", "year"])
        {
            for key in ["month", "year"] {
                guard let entry = limit.optional(key), let text = entry.string("earnings_limit.\(key)") else { continue }
                guard let money = Money(parsing: text), money > .zero, money <= Money.maximumParsed.times(12) else {
                    entry.error("earnings_limit.\(key) must be euros above 0 like 800 or 7000.50, not '\(text)'")
                    return nil
                }
                limits[key] = money
            }
        }
        return (mode, businessID, limits["month"], limits["year"])
    }

    /// A local day written `2026-01-31`; an error at the value otherwise.
    private static func day(_ value: YAMLValue, _ key: String) -> String? {
        guard let text = value.string(key) else { return nil }
        guard text.count == 10, LocalDateParsing.isoDay(text) != nil else {
            value.error("\(key) must be a date like 2026-01-31, not '\(text)'")
            return nil
        }
        return text
    }

    private static func checkReferences(
        units: [(Unit, String, Int?)], people: [(Person, String, Int?)],
        diagnostics: Diagnostics
    ) {
        var personIDs: Set<PersonID> = []
        for (person, file, line) in people where !personIDs.insert(person.id).inserted {
            diagnostics.error("person id '\(person.id)' is used twice", file: file, line: line)
        }
        var unitIDs: Set<UnitID> = []
        var unitWords: [String: UnitID] = [:]
        for (unit, file, line) in units {
            if !unitIDs.insert(unit.id).inserted {
                diagnostics.error("unit id '\(unit.id)' is used twice", file: file, line: line)
            } else if let other = unitWords.updateValue(unit.id, forKey: unit.id.rawValue.lowercased()), other != unit.id {
                diagnostics.error("unit '\(unit.id)': the id differs from '\(other)' only in case", file: file, line: line)
            }
        }
        let byID = Dictionary(people.map { ($0.0.id, $0.0) }, uniquingKeysWith: { first, _ in first })
        for (unit, file, line) in units {
            if let approver = byID[unit.approver] {
                if !approver.has(.approver) {
                    diagnostics.error("unit '\(unit.id)': approver '\(unit.approver)' lacks the role approver", file: file, line: line)
                }
                // An expert's fee reports go to the approver of each unit they work for, so an
                // expert who approves any unit could approve their own.
                if approver.has(.expert) {
                    diagnostics.error(
                        "unit '\(unit.id)': approver '\(unit.approver)' is also an expert and could approve "
                            + "their own fee reports; name another approver", file: file, line: line)
                }
            } else {
                diagnostics.error("unit '\(unit.id)': approver '\(unit.approver)' is not in the registry", file: file, line: line)
            }
            // The unit's named employee (000 §3) receives the expert; an expert cannot be it.
            if let contact = unit.contact {
                if let person = byID[contact] {
                    if person.has(.expert) || !(person.has(.employee) || person.has(.approver) || person.has(.coordinator)) {
                        diagnostics.error(
                            "unit '\(unit.id)': contact '\(contact)' must be an employee, approver or coordinator",
                            file: file, line: line)
                    }
                } else {
                    diagnostics.error("unit '\(unit.id)': contact '\(contact)' is not in the registry", file: file, line: line)
                }
            }
        }
        for (person, file, line) in people {
            if let unit = person.unit, !unitIDs.contains(unit) {
                diagnostics.error("person '\(person.id)': unit '\(unit)' is not in the registry", file: file, line: line)
            }
            if let channel = person.preferredChannel, !person.isReachable(on: channel) {
                diagnostics.error(
                    "person '\(person.id)' prefers \(channel.rawValue) but has no \(channel.rawValue) address",
                    file: file, line: line)
            }
            for unit in person.ordersFor where !unitIDs.contains(unit) {
                diagnostics.error(
                    "person '\(person.id)': orders_for names unit '\(unit)', which is not in the registry", file: file, line: line)
            }
            if person.has(.employee) && person.unit == nil {
                diagnostics.error("person '\(person.id)' is an employee but has no unit", file: file, line: line)
            }
        }
        if !people.contains(where: { $0.0.has(.coordinator) }) {
            // An empty people list too: a registry half written, or emptied, serves no one.
            diagnostics.error(
                "the registry has no coordinator: someone must receive escalations", file: people.first?.1 ?? units.first?.1 ?? "registry",
                line: nil)
        }
        // One address, one person: a message is put down to whoever has its address, so two
        // with the same one (in any case) could be taken for each other, rights and all.
        var owners: [String: PersonID] = [:]
        var ids: [String: PersonID] = [:]
        for (person, file, line) in people {
            if let other = ids.updateValue(person.id, forKey: person.id.rawValue.lowercased()), other != person.id {
                diagnostics.error("person '\(person.id)': the id differs from '\(other)' only in case", file: file, line: line)
            }
            for (kind, address) in [("matrix", person.contacts.matrix), ("email", person.contacts.email)] {
                guard let address else { continue }
                if let other = owners.updateValue(person.id, forKey: kind + ":" + address.lowercased()), other != person.id {
                    diagnostics.error(
                        "person '\(person.id)': the \(kind) address is also '\(other)''s: each address is one person's",
                        file: file, line: line)
                }
            }
        }
    }
}
