import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus report fees --month M` and `kokemus report year --year Y`.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports for the coordinator: a month's fees, a year's tasks, hours, fees and feedback.",
        discussion: "Reads the state without taking its lock, so it can run while the gateway does.",
        subcommands: [Fees.self, Year.self])

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, csv
    }

    struct Shared: ParsableArguments {
        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "markdown (default) or csv.")
        var format: Format = .markdown

        @Option(name: .long, help: "Count sessions that have ended by this Helsinki time, like 2026-12-10T12:00 (default: now).")
        var now: String?

        func load() throws -> (GatewayState, Registry, FeeSchedule, LocalTime, Date) {
            let config = try options.loadConfig()
            let time = try LocalTime(timeZoneIdentifier: config.timeZone)
            var moment = Date()
            if let now {
                guard let parsed = Self.parse(now, time: time) else {
                    throw ValidationError("--now must be a Helsinki time like 2026-12-10T12:00, not '\(now)'")
                }
                moment = parsed
            }
            let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
            let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
            let fees = try config.feesFile.map(FeeSchedule.load(file:)) ?? FeeSchedule()
            return (state, registry, fees, time, moment)
        }

        static func parse(_ text: String, time: LocalTime) -> Date? {
            let parts = text.split(separator: "T")
            let day = parts.first.map { $0.split(separator: "-").compactMap { Int($0) } } ?? []
            let clock = parts.count == 2 ? parts[1].split(separator: ":").compactMap { Int($0) } : [0, 0]
            guard day.count == 3, clock.count == 2 else { return nil }
            return time.date(year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1])
        }

        func print(_ tables: [ReportTable]) {
            switch format {
            case .markdown: Swift.print(tables.map { $0.markdown() }.joined(separator: "\n"), terminator: "")
            case .csv: Swift.print(ReportTable.csv(tables), terminator: "")
            }
        }
    }

    struct Fees: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A month's fees per unit and expert, with where each fee report is.")

        @OptionGroup var shared: Shared

        @Option(name: .long, help: "The month of the work, as YYYY-MM.")
        var month: String

        func validate() throws {
            guard Month(month) != nil else { throw ValidationError("--month must be like 2026-11, not '\(month)'") }
        }

        func run() async throws {
            _ = shared.options.makeLogger()
            try await reportingErrors {
                let (state, registry, fees, time, now) = try shared.load()
                shared.print(
                    ServiceReports.fees(
                        month: Month(month)!, state: state, registry: registry, schedule: fees,
                        time: time, now: now))
            }
        }
    }

    struct Year: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A year's paid tasks by type and unit (tasks, sessions, hours, fees) and feedback averages.")

        @OptionGroup var shared: Shared

        @Option(name: .long, help: "The year, e.g. 2026.")
        var year: Int

        func validate() throws {
            guard (2000...2200).contains(year) else { throw ValidationError("--year must be a year like 2026") }
        }

        func run() async throws {
            _ = shared.options.makeLogger()
            try await reportingErrors {
                let (state, registry, fees, time, now) = try shared.load()
                shared.print(ServiceReports.year(year, state: state, registry: registry, schedule: fees, time: time, now: now))
            }
        }
    }
}
