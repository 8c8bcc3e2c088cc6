import ArgumentParser
import Foundation
import KokemusCore

/// `kokemus payroll export --month 2026-11` (the month's approved fee reports) or
/// `--handover 2026-12-10` (the files of that day's handover) as CSV.
struct Payroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand approved fee reports to payroll.",
        subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the approved fee reports of a month as CSV, one row per expert and unit.",
            discussion: """
                Reads the state without taking its lock, so it can run while the gateway does; it \
                changes nothing. Columns: \(PayrollExport.header.joined(separator: ", ")). Amounts in \
                euros with a dot. Warnings (an expert without the year's tax card, reports of the month \
                not yet approved, those paid in another mode) go to standard error; the exit status is 0 \
                all the same. Each payment mode is a file of its own (--payment); the gateway also hands \
                the approved reports to the payroll role by itself on the handover day (payroll: in \
                kokemus.yaml).
                """)

        @OptionGroup var options: CommonOptions

        @Option(name: .long, help: "The month of the work, as YYYY-MM: its approved reports.")
        var month: String?

        @Option(
            name: .long,
            help: "A handover day, as YYYY-MM-DD: the reports the gateway handed to payroll that day (the files it sent).")
        var handover: String?

        @Option(name: .long, help: "Write the CSV to this file instead of standard output.")
        var output: String?

        @Option(
            name: .long,
            help: "Which payment mode's reports: fee (palkkio), business_income (työkorvaus) or volunteer (costs only).")
        var payment: String = PaymentMode.fee.registryName

        @Option(name: .long, help: "The language of the warnings: fi, sv or en (the person who sends the file reads them).")
        var language: String = Language.fi.rawValue

        func validate() throws {
            guard (month == nil) != (handover == nil) else {
                throw ValidationError("give either --month 2026-11 or --handover 2026-12-10")
            }
            if let month, Month(month) == nil { throw ValidationError("--month must be like 2026-11, not '\(month)'") }
            if let handover, handover.count != 10 || LocalDay(iso: handover) == nil {
                throw ValidationError("--handover must be a day like 2026-12-10, not '\(handover)'")
            }
            guard Language(rawValue: language) != nil else {
                throw ValidationError("--language must be fi, sv or en, not '\(language)'")
            }
            guard PaymentMode(registryName: payment) != nil else {
                throw ValidationError(
                    "--payment must be one of \(PaymentMode.allCases.map(\.registryName).joined(separator: ", ")), not '\(payment)'")
            }
        }

        func run() async throws {
            _ = options.makeLogger()
            try await reportingErrors {
                let config = try options.loadConfig()
                let state = try StateStore<GatewayState>.readState(directory: config.stateDirectory)
                let registry = try RegistryLoader.load(directory: config.effectiveRegistryDirectory)
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let mode = PaymentMode(registryName: payment)!
                var export: PayrollExport
                if let month, let month = Month(month) {
                    export = PayrollExport(month: month, mode: mode, state: state, registry: registry, time: time)
                    // With the automatic handover on, the gateway gives payroll the reports by
                    // itself: a month's file is a copy to check, not a second payment.
                    if config.payroll.automaticHandover { export.warnings.append(.automaticHandover) }
                } else {
                    export = PayrollExport(
                        handedOverOn: LocalDay(iso: handover ?? "")!, mode: mode, state: state, registry: registry, time: time)
                }
                try recordAccess(
                    config, what: "payroll export of \(month ?? handover ?? "")", about: export.experts)
                let catalog = try MessageCatalog.load(file: config.messagesFile)
                for warning in export.warnings {
                    let text = warning.text(catalog, Language(rawValue: language) ?? .fi, registry: registry)
                    FileHandle.standardError.write(Data("warning: \(text)\n".utf8))
                }
                if let output {
                    try DurableFile.replace(URL(fileURLWithPath: output).path, with: Data(export.csv.utf8))
                    FileHandle.standardError.write(Data("wrote \(export.reportCount) report(s) to \(output)\n".utf8))
                } else {
                    print(export.csv, terminator: "")
                }
            }
        }
    }
}
