import Foundation
import KokemusTesting
import Testing

@testable import KokemusCore

/// For random conversations, no message the employee side receives holds any contact
/// detail of any expert, however the experts try to pass one on.
@Suite struct ContactPrivacyPropertyTests {
    static let digitWords = ["nolla", "yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan", "yhdeksän"]

    /// Ways a person might write their own contact details into a message.
    static func disguises(of person: Person) -> [String] {
        var forms: [String] = []
        if let phone = person.contacts.phone {
            let digits = phone.filter(\.isNumber)
            let national = "0" + digits.dropFirst(3)
            forms += [
                phone, "+" + digits, national, national.map(String.init).joined(separator: " "),
                national.map { digitWords[Int(String($0))!] }.joined(separator: " "),
                String(national.prefix(3)) + "-" + String(national.dropFirst(3)),
            ]
        }
        if let email = person.contacts.email {
            let parts = email.split(separator: "@")
            forms += [
                email, "\(parts[0]) (at) \(parts[1])",
                "\(parts[0]) at \(parts[1].replacingOccurrences(of: ".", with: " piste "))",
            ]
        }
        if let matrix = person.contacts.matrix { forms.append(matrix) }
        return forms
    }

    /// The forms of every expert's contacts that must never reach the employee side.
    static func secrets(_ registry: Registry) -> [String] {
        registry.people(with: .expert).flatMap { person -> [String] in
            var values = [person.contacts.email, person.contacts.matrix].compactMap { $0?.lowercased() }
            if let phone = person.contacts.phone { values.append(String(phone.filter(\.isNumber).suffix(7))) }
            return values
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func noContactDetailOfAnExpertReachesAnEmployee(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let h = try GatewayHarness(
            flows: try shippedFlows(), now: local(2026, 12, 1, 9),
            matching: MatchingPolicy(offersAtOnce: 2))
        let registry = await h.gateway.registry
        let experts = registry.people(with: .expert)
        let employees = Set(registry.people.values.filter { !$0.has(.expert) }.map(\.id))
        let secrets = Self.secrets(registry)
        var toEmployees: [String] = []
        func record(_ messages: [(recipient: PersonID, text: String)]) {
            toEmployees += messages.filter { employees.contains($0.recipient) }.map(\.text)
        }

        // Two orders, offered to two experts each.
        for when in ["ti 8.12. klo 14", "ke 9.12. klo 10"] {
            for answer in ["tilaa", "1", "2", "1", when, "1,5 h", "2", "suomi", "1", "Asiakas tarvitsee vertaistukea.", "1"] {
                record(try await h.send("anna", answer))
            }
            record(try await h.send("anna", "kyllä"))
        }
        let fillers = ["Hei!", "Kiitos tiedosta.", "Tulen mielelläni.", "Voin tulla 15 min aiemmin.", "Nähdään 8.12. klo 14."]
        for _ in 0..<120 {
            let expert = random.pick(experts)
            let secret = random.pick(Self.disguises(of: expert))
            let text = random.pick([
                "\(random.pick(fillers)) \(secret)", "\(secret) \(random.pick(fillers))",
                random.pick(fillers),
            ])
            let order = random.pick(["T-2026-0001 ", "T-2026-0002 ", ""])
            switch random.next() % 6 {
            case 0: record(try await h.send(expert.id, "viesti \(order)\(text)"))
            case 1: record(try await h.send(expert.id, text))
            case 2: record(try await h.send(expert.id, random.pick(["1", "2", "3", "tarjous", "peruuta"])))
            case 3: record(try await h.send("anna", "viesti \(order)\(random.pick(fillers))"))
            case 4: record(try await h.advance(hours: 3))
            default:
                record(try await h.send(expert.id, "3"))
                record(try await h.send(expert.id, text))
            }
        }
        #expect(toEmployees.count > 20)
        for text in toEmployees {
            let normalized = text.lowercased()
            let digits = normalized.filter(\.isNumber)
            for secret in secrets {
                let leaked = secret.allSatisfy(\.isNumber) ? digits.contains(secret) : normalized.contains(secret)
                #expect(!leaked, "seed \(seed): \(secret) reached the employee side in: \(text)")
            }
        }
    }
}

extension SplitMix64 {
    mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &self)! }
}
