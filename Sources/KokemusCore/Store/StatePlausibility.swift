/// Values in a state that no person could have meant: what `kokemus state check` reports. A
/// state written before the bounds on people's numbers may hold them; the gateway loads it
/// and computes with them without trapping (sums saturate), and this names where they are so
/// that someone can correct them.
public struct ImplausibleValue: Sendable, Hashable, CustomStringConvertible {
    public var place: String
    public var what: String

    public var description: String { "\(place): \(what)" }
}

extension GatewayState {
    /// The longest session and the most kilometres a person may report (24 h, 2 000 km).
    public static let plausibleMinutes = 0...(24 * 60)
    public static let plausibleKilometres = 0...2_000

    public func implausibleValues() -> [ImplausibleValue] {
        var found: [ImplausibleValue] = []
        for order in orders.values.sorted(by: { $0.id < $1.id }) {
            for session in order.sessions {
                let place = "\(order.id) session \(session.index)"
                if !Self.plausibleMinutes.contains(session.durationMinutes) {
                    found.append(ImplausibleValue(place: place, what: "planned duration \(session.durationMinutes) min"))
                }
                guard let hours = session.hours else { continue }
                if !Self.plausibleMinutes.contains(hours.minutes) {
                    found.append(ImplausibleValue(place: place, what: "reported duration \(hours.minutes) min"))
                }
                if !Self.plausibleKilometres.contains(hours.kilometres) {
                    found.append(ImplausibleValue(place: place, what: "reported travel \(hours.kilometres) km"))
                }
                if !hours.otherCosts.isPlausible {
                    found.append(ImplausibleValue(place: place, what: "other costs \(hours.otherCosts.plain) €"))
                }
            }
        }
        for report in feeReports.values.sorted(by: { $0.id < $1.id }) {
            for line in report.lines
            where !line.otherCosts.isPlausible || !Self.plausibleKilometres.contains(line.kilometres)
                || !Self.plausibleMinutes.contains(line.minutes)
            {
                found.append(
                    ImplausibleValue(
                        place: "\(report.id) \(line.order) session \(line.session)",
                        what: "\(line.minutes) min, \(line.kilometres) km, other costs \(line.otherCosts.plain) €"))
            }
        }
        for (expert, year) in taxCards.sorted(by: { $0.key < $1.key }) where !(2000...2100).contains(year) {
            found.append(ImplausibleValue(place: "tax card of \(expert)", what: "year \(year)"))
        }
        for (expert, record) in expertRecords.sorted(by: { $0.key < $1.key }) {
            if let hours = record.monthlyCapHours, !ExpertRecord.monthlyCapRange.contains(hours) {
                found.append(ImplausibleValue(place: "wishes of \(expert)", what: "\(hours) hours a month"))
            }
            for range in record.away where LocalDay(iso: range.from) == nil || LocalDay(iso: range.until) == nil || range.from > range.until
            {
                found.append(ImplausibleValue(place: "days away of \(expert)", what: "\(range.from)–\(range.until)"))
            }
        }
        return found
    }
}
