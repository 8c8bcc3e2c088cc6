import Foundation
import Logging

/// Takes the county's edits to the registry, flows, texts, fee table and task catalogue into the
/// running gateway: on SIGHUP (`reload`), and when their files change (`check`, every few
/// seconds: a change is taken once the files have stayed the same for one look, so an
/// editor's half-written save is not read). A set that does not load whole is refused: the
/// old one stays, the problems are logged and the coordinators told in chat (once per
/// change). `kokemus.yaml` itself (channels, state, ports) is read only at start.
public actor ConfigReloader {
    /// A file's identity and size at a look; a changed one is a different stamp.
    struct Stamp: Hashable {
        var modified: Date
        var size: Int
        var inode: UInt64
    }

    let gateway: Gateway
    let config: KokemusConfig
    let requireSystemFlows: Bool
    let logger: Logger
    /// The files as loaded (or as last refused), and as last looked at.
    private var applied: [String: Stamp]
    private var lastLook: [String: Stamp]
    /// The files of the last set refused: the coordinators are told of a broken set once,
    /// not at every SIGHUP while it stays the same.
    private var refused: [String: Stamp]?

    public init(gateway: Gateway, config: KokemusConfig, requireSystemFlows: Bool = true, logger: Logger) {
        self.gateway = gateway
        self.config = config
        self.requireSystemFlows = requireSystemFlows
        self.logger = logger
        applied = Self.stamps(config)
        lastLook = applied
    }

    /// Every file the engine is made of, by path.
    static func stamps(_ config: KokemusConfig) -> [String: Stamp] {
        var files = [config.messagesFile] + [config.feesFile, config.tasksFile].compactMap { $0 }
        for directory in [config.flowsDirectory, config.effectiveRegistryDirectory] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            files += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { directory.appendingPathComponent($0) }
        }
        var stamps: [String: Stamp] = [:]
        for file in files {
            // Through symbolic links (a ConfigMap's `..data` swapped, a target edited in place).
            let target = file.resolvingSymlinksInPath()
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: target.path) else { continue }
            stamps[file.path + " -> " + target.path] = Stamp(
                modified: attributes[.modificationDate] as? Date ?? .distantPast, size: (attributes[.size] as? Int) ?? 0,
                inode: (attributes[.systemFileNumber] as? UInt64) ?? 0)
        }
        return stamps
    }

    /// Loads everything again now (SIGHUP). True when the new set is in use.
    @discardableResult
    public func reload(reason: String) async -> Bool {
        let stamps = Self.stamps(config)
        applied = stamps
        lastLook = stamps
        do {
            try await GatewayBuilder.reload(gateway, config: config, requireSystemFlows: requireSystemFlows, logger: logger)
            logger.notice("reload: the changed files are in use", metadata: ["reason": "\(reason)"])
            refused = nil
            return true
        } catch {
            let problems = (error as? ConfigErrors)?.errors.map(\.description) ?? ["\(error)"]
            logger.error(
                "reload: refused, the gateway goes on with what it had",
                metadata: ["reason": "\(reason)", "problems": "\(problems.map(LogRedaction.text))"])
            guard refused != stamps else { return false }
            refused = stamps
            do {
                try await gateway.tellCoordinatorsReloadRefused(problems)
            } catch {
                logger.error("reload: the coordinators could not be told", metadata: ["error": "\(error)"])
            }
            return false
        }
    }

    /// A look at the files: reloads when they differ from what is loaded and have not changed
    /// since the last look. True when it reloaded (well or not).
    @discardableResult
    public func check() async -> Bool {
        let stamps = Self.stamps(config)
        defer { lastLook = stamps }
        guard stamps != applied, stamps == lastLook else { return false }
        await reload(reason: "files changed")
        return true
    }
}
