import Foundation
import KokemusCore

/// A page printed to PDF by a headless Chromium (Debian's `chromium`), for
/// `kokemus report year --format pdf`: the page is written to a private temporary folder,
/// printed there, and the PDF replaces the output file whole.
enum PrintedPage {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How long Chromium may take: a year's page prints in about two seconds.
    static let timeout: Duration = .seconds(120)

    /// `KOKEMUS_CHROMIUM` (a path, or a name looked up on PATH), else `chromium` or
    /// `chromium-browser` on PATH.
    static func chromium(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        var names = ["chromium", "chromium-browser"]
        if let named = environment["KOKEMUS_CHROMIUM"], !named.isEmpty {
            if named.contains("/") { return named }
            names = [named]
        }
        return onPath(names, environment: environment)
    }

    static func onPath(_ names: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let directories = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in names {
            for directory in directories {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    static func print(_ html: String, to output: URL) async throws {
        guard let chromium = chromium() else {
            throw Failure(
                description:
                    "no chromium to print with: install Debian's (apt-get install --no-install-recommends chromium), "
                    + "name one in KOKEMUS_CHROMIUM, or use --format html and print it from a browser")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kokemus-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        let pdf = folder.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: page)

        let process = Process()
        // coreutils' timeout runs Chromium in a process group of its own and ends the whole
        // group when time is up, killing it 5 s later if it will not stop: no browser process
        // outlives the command. Without timeout, Chromium is ended by itself (below).
        let timeoutTool = onPath(["timeout"])
        process.executableURL = URL(fileURLWithPath: timeoutTool ?? chromium)
        var arguments = [
            "--headless", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)", "--print-to-pdf=\(pdf.path)",
        ]
        // Chromium refuses to start as root inside its sandbox; the page runs no script and
        // loads nothing (its content security policy), so it is printed without one there.
        if getuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append(page.absoluteString)
        process.arguments =
            timeoutTool == nil ? arguments : ["--kill-after=5s", "\(Int(timeout.components.seconds))s", chromium] + arguments
        let log = folder.appendingPathComponent("chromium.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(chromium): \(error.localizedDescription)")
        }
        let deadline = ContinuousClock.now + timeout + .seconds(10)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                try? await Task.sleep(for: .seconds(2))
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw Failure(description: "\(chromium) did not print the page in \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // timeout's 124 (137 after its kill): the page was not printed in time.
        // timeout's kill reaches its whole group, itself too: then it ends by the signal.
        let ended = process.terminationReason == .uncaughtSignal || [124, 137].contains(process.terminationStatus)
        if timeoutTool != nil, ended {
            throw Failure(description: "\(chromium) did not print the page in \(timeout)")
        }
        let printed = (try? Data(contentsOf: pdf)) ?? Data()
        // A whole PDF: its header, and its end-of-file marker in the last bytes.
        let whole = printed.starts(with: Data("%PDF-".utf8)) && printed.suffix(64).range(of: Data("%%EOF".utf8)) != nil
        guard process.terminationStatus == 0, whole else {
            let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let last = said.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw Failure(description: "\(chromium) did not print the page (exit \(process.terminationStatus)):\n\(last)")
        }
        try DurableFile.replace(output.path, with: printed)
    }
}
