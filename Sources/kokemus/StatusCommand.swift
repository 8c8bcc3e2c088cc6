import ArgumentParser
import Foundation
import KokemusCore
import KokemusStatus

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `kokemus status`: how the running gateway is, for a person at a terminal (what `/metrics`
/// gives a collector), read from its `/status` on the loopback port.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "How the running gateway is: channels, messages, what waits, errors.",
        discussion: """
            Asks the gateway's status server (monitoring.port in the configuration, on 127.0.0.1). \
            Exit status 0 when it answers and every channel is ready, 1 when it answers but a channel \
            is not, 3 when nothing answers (the gateway is not running, or runs without monitoring).
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "The status port (default: monitoring.port in the configuration).")
    var port: Int?

    @Option(name: .long, help: "text (default) or json (as /status gives it).")
    var format: Format = .text

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() async throws {
        _ = options.makeLogger()
        try await reportingErrors {
            let config = try options.loadConfig()
            let port = self.port ?? config.monitoringPort
            guard (1...65535).contains(port) else {
                throw ValidationError("no status port: set monitoring.port in \(options.config), or give --port")
            }
            let url = URL(string: "http://127.0.0.1:\(port)/status")!
            var request = URLRequest(url: url)
            request.timeoutInterval = 5
            let data: Data
            let response: URLResponse
            do {
                (data, response) = try await URLSession.shared.data(for: request)
            } catch {
                FileHandle.standardError.write(
                    Data("kokemus: nothing answers on 127.0.0.1:\(port): is the gateway running? (\(error.localizedDescription))\n".utf8))
                throw ExitCode(3)
            }
            guard (response as? HTTPURLResponse)?.statusCode == 200,
                let report = try? StatusReport.decoder.decode(StatusReport.self, from: data)
            else {
                let code = (response as? HTTPURLResponse)?.statusCode ?? 0
                FileHandle.standardError.write(
                    Data(
                        "kokemus: what answers on 127.0.0.1:\(port) is not the gateway's status (HTTP \(code)): is monitoring.port another program's?\n"
                            .utf8))
                throw ExitCode(3)
            }
            if format == .json {
                print(String(decoding: data, as: UTF8.self))
            } else {
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                print(Self.text(report, port: port, time: time), terminator: "")
            }
            if report.ready.values.contains(false) { throw ExitCode.failure }
        }
    }

    static func text(_ report: StatusReport, port: Int, time: LocalTime) -> String {
        let status = report.status
        func ago(_ date: Date?) -> String {
            guard let date else { return "never" }
            let seconds = max(0, Int(status.at.timeIntervalSince(date)))
            if seconds < 120 { return "\(seconds) s ago" }
            if seconds < 7200 { return "\(seconds / 60) min ago" }
            return "\(seconds / 3600) h ago"
        }
        func counts(_ table: [String: Int]) -> String {
            let total = table.values.reduce(0, +)
            let parts = table.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            return parts.isEmpty ? "0" : "\(total) (\(parts.joined(separator: ", ")))"
        }
        var lines = ["gateway on 127.0.0.1:\(port): running since \(time.isoMinuteString(status.startedAt)) (\(ago(status.startedAt)))"]
        let channels = report.ready.keys.sorted().map { name -> String in
            let health = status.channels[name]
            let failures = health.map { $0.failuresInARow > 0 ? ", \($0.failuresInARow) failures in a row" : "" } ?? ""
            return "\(name) \(report.ready[name] == true ? "ready" : "NOT READY"), last worked \(ago(health?.lastSuccessAt))\(failures)"
        }
        lines.append("  channels: " + (channels.isEmpty ? "none" : channels.joined(separator: "; ")))
        lines.append(
            "  messages in \(counts(status.tallies.received)), out \(counts(status.tallies.sent)), "
                + "reminders sent \(status.tallies.remindersSent)")
        if !status.tallies.errors.isEmpty { lines.append("  errors: \(counts(status.tallies.errors))") }
        lines.append(
            "  waiting to be delivered: \(status.outboxLength)"
                + (status.oldestUndeliveredAt.map { ", the oldest since \(ago($0))" } ?? ""))
        lines.append(
            "  orders open \(status.openOrders), offers unanswered \(status.pendingOffers), conversations \(status.conversations) "
                + "(reminders due \(status.remindersDue))")
        lines.append(
            "  journal \(status.journalBytes) bytes, last fsync \(ago(status.lastSyncedAt)); retention last "
                + "\(status.retentionAppliedOn ?? "never"); accesses waiting for the access log \(status.accessesWaitingForTheLog)")
        return lines.joined(separator: "\n") + "\n"
    }
}
