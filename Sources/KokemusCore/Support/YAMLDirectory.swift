import Foundation

/// Reads every `*.yaml` (or `*.yml`) file of a directory, in name order, as the flow and
/// registry loaders need them: (path as people type it, text).
enum YAMLDirectory {
    static func read(_ directory: URL, what: String) throws -> [(file: String, text: String)] {
        try files(directory, what: what).map { ($0.file, $0.text) }
    }

    /// The same with each file's location, for writing one back (`RegistryWriter`).
    static func files(_ directory: URL, what: String) throws -> [(url: URL, file: String, text: String)] {
        let files: [URL]
        // Foundation on Linux says only "NSCocoaErrorDomain error 260" for a missing directory.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw ConfigError("the \(what) directory does not exist (check the path in the configuration)", file: directory.path)
        }
        guard isDirectory.boolValue else {
            throw ConfigError("the \(what) directory is a file, not a directory", file: directory.path)
        }
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                // Not an editor's lock or backup (`.#people.yaml`, `._people.yaml`).
                .filter { ["yaml", "yml"].contains($0.pathExtension) && !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ConfigError("cannot read the \(what) directory: \(error.localizedDescription)", file: directory.path)
        }
        if files.isEmpty { throw ConfigError("the \(what) directory has no .yaml files", file: directory.path) }
        return try files.map { file in
            let path = displayPath(file)
            do {
                return (file, path, try String(contentsOf: file, encoding: .utf8))
            } catch {
                throw ConfigError("cannot read: \(error.localizedDescription)", file: path)
            }
        }
    }

    /// A path relative to the working directory when the file is below it, as people type it.
    static func displayPath(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
