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
        case markdown, csv, html, pdf
    }

    struct Shared: ParsableArguments {
        @OptionGroup var options: CommonOptions

        @Option(
            name: .long,
            help:
                "markdown (default), csv, or for report year html (one printable page with charts) or pdf (that page printed by Debian's chromium; needs --output)."
        )
        var format: Format = .markdown

        @Option(
            name: .long,
            help:
                "fi, sv or en: the page's language (html, pdf; default fi), or markdown's titles and words (default: the stable English column names csv keeps)."
        )
        var language: String?

        @Option(
            name: [.short, .long], help: "Write the report to this file (replaced whole) instead of standard output (-).")
        var output: String?

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

        func validate() throws {
            if let language, Language(rawValue: language) == nil {
                throw ValidationError("--language must be fi, sv or en, not '\(language)'")
            }
            if let output, output != "-" { try Self.checkOutput(output) }
        }

        /// `--output` names a file to write whole, new or regular: never a directory, a
        /// device or a link (replacing one would put a file where it stood), nor nothing.
        static func checkOutput(_ output: String) throws {
            guard !output.isEmpty else { throw ValidationError("--output needs a file name (or - for standard output)") }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: output) else { return }
            guard attributes[.type] as? FileAttributeType == .typeRegular else {
                throw ValidationError("--output \(output) is not a regular file (a directory, device or link); name a file")
            }
        }

        /// The reader of a markdown report, when --language names one.
        func reader(tasks: (MessageCatalog) throws -> TaskCatalogue) throws -> ServiceReports.Reader? {
            guard format == .markdown, let language = language.flatMap(Language.init(rawValue:)) else { return nil }
            let config = try options.loadConfig()
            let catalog = try MessageCatalog.load(file: config.messagesFile)
            let names = try tasks(catalog).entries.map { ($0.id, $0.name) }
            return ServiceReports.Reader(
                catalog: catalog, language: language, taskNames: Dictionary(names, uniquingKeysWith: { first, _ in first }))
        }

        /// The task catalogue as the configuration names it, or the five kinds of work.
        func tasks(_ catalog: MessageCatalog) throws -> TaskCatalogue {
            try options.loadConfig().tasksFile.map(TaskCatalogue.load(file:)) ?? TaskCatalogue.kinds(named: catalog)
        }

        func print(_ tables: [ReportTable]) throws {
            switch format {
            case .markdown: try write(tables.map { $0.markdown() }.joined(separator: "\n"))
            case .csv: try write(ReportTable.csv(tables))
            case .html, .pdf:
                throw ValidationError("--format \(format) is for `kokemus report year`; this report is markdown or csv")
            }
        }

        /// To standard output, or replacing `--output` whole (never half a file).
        func write(_ text: String) throws {
            if let output, output != "-" {
                try DurableFile.replace(URL(fileURLWithPath: output).path, with: Data(text.utf8))
                FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
            } else {
                Swift.print(text, terminator: "")
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
            guard shared.format != .html, shared.format != .pdf else {
                throw ValidationError("--format \(shared.format) is for `kokemus report year`; this report is markdown or csv")
            }
        }

        func run() async throws {
            _ = shared.options.makeLogger()
            try await reportingErrors {
                let (state, registry, fees, time, now) = try shared.load()
                // The experts of the month: their fee reports and the sessions they held.
                let start = time.date(year: Month(month)!.year, month: Month(month)!.month, day: 1) ?? now
                let end = time.date(year: Month(month)!.next.year, month: Month(month)!.next.month, day: 1) ?? now
                let experts =
                    state.feeReports.values.filter { $0.month == month }.map(\.expert)
                    + state.orders.values.filter { order in order.sessions.contains { $0.start >= start && $0.start < end } }
                    .compactMap(\.assignedExpert)
                try recordAccess(try shared.options.loadConfig(), what: "fees of \(month)", about: experts)
                try shared.print(
                    ServiceReports.fees(
                        month: Month(month)!, state: state, registry: registry, schedule: fees,
                        time: time, now: now, reader: try shared.reader(tasks: shared.tasks)))
            }
        }
    }

    struct Year: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A year's paid tasks by type and unit (tasks, sessions, hours, fees) and feedback averages.",
            discussion: """
                --format html writes one page to look at and print: charts of the tasks per month, \
                unit, topic and kind of task, fees per unit, how quickly orders were filled and how \
                offers were answered, the feedback averages and every comment given with feedback, \
                in --language fi, sv or en. The page runs no script and loads nothing. --format pdf \
                prints the same page on A4 with Debian's chromium (apt-get install \
                --no-install-recommends chromium), found on PATH or named by KOKEMUS_CHROMIUM.
                """)

        @OptionGroup var shared: Shared

        @Option(name: .long, help: "The year, e.g. 2026.")
        var year: Int

        func validate() throws {
            guard (2000...2200).contains(year) else { throw ValidationError("--year must be a year like 2026") }
            if shared.format == .pdf, shared.output == nil || shared.output == "-" {
                throw ValidationError("--format pdf needs --output FILE")
            }
        }

        func run() async throws {
            _ = shared.options.makeLogger()
            try await reportingErrors {
                let (state, registry, fees, time, now) = try shared.load()
                // Counts and averages per unit and kind of task; no one's name, but comments as given.
                try recordAccess(try shared.options.loadConfig(), what: "year report \(year)", about: [])
                guard shared.format == .html || shared.format == .pdf else {
                    return try shared.print(
                        ServiceReports.year(
                            year, state: state, registry: registry, schedule: fees, time: time, now: now,
                            reader: try shared.reader(tasks: shared.tasks)))
                }
                let config = try shared.options.loadConfig()
                let catalog = try MessageCatalog.load(file: config.messagesFile)
                let tasks = try shared.tasks(catalog)
                let flows = try GatewayBuilder.loadFlows(config.flowsDirectory)
                // The versions the state keeps name what today's flows may no longer have.
                let loader = FlowLoader(actions: ActionRegistry.standard.signatures)
                let earlier = state.flowSources.values.compactMap { loader.load(text: $0.text, file: $0.file).flow }
                let language = shared.language.flatMap(Language.init(rawValue:)) ?? .fi
                let page = YearReportPage(
                    figures: YearFigures(year: year, state: state, registry: registry, schedule: fees, time: time, now: now),
                    catalog: catalog, language: language,
                    names: YearReportPage.Names(registry: registry, tasks: tasks, flows: flows, earlier: earlier),
                    madeAt: "\(time.dayString(now)) \(time.clockString(now))")
                if shared.format == .pdf {
                    let output = shared.output ?? "year.pdf"
                    try await PrintedPage.print(page.html(), to: URL(fileURLWithPath: output))
                    FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
                } else {
                    try shared.write(page.html())
                }
            }
        }
    }
}
