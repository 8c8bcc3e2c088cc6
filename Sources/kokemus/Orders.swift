import ArgumentParser
import Foundation
import KokemusCore
import Logging

/// `kokemus orders`: look at stored orders.
struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show stored orders.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the orders in a state directory, oldest first.",
            discussion: "Takes the state directory's lock, so it refuses to run while a gateway uses it.")

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let logger = options.makeLogger()
            try await reportingErrors {
                let (config, store) = try options.openStore(logger: logger)
                let time = try LocalTime(timeZoneIdentifier: config.timeZone)
                let orders = store.state.orders.values.sorted { $0.id < $1.id }
                try recordAccess(
                    config, what: "every order", about: orders.flatMap { [$0.orderer] + [$0.assignedExpert].compactMap { $0 } })
                if orders.isEmpty { print("no orders in \(config.stateDirectory.path)") }
                for order in orders {
                    let place: String
                    switch order.place {
                    case .remote: place = "remote"
                    case .onSite(let address): place = address.text
                    }
                    print(
                        "\(order.id)  \(time.isoMinuteString(order.start))  \(order.durationMinutes) min  "
                            + "\(order.taskType.rawValue)  \(order.topic)  \(order.unit)  \(place)  "
                            + "by \(order.orderer)  \(order.status.rawValue)")
                }
            }
        }
    }
}
