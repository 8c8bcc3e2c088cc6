import Foundation

/// Writes coordinators' registry changes into the registry directory's YAML files. Each
/// change is checked against the files as they are now (someone may have edited them since
/// the gateway loaded them), written with `RegistryFileEditor`, loaded back and compared with
/// what the change means, and only then put in place: a temporary file beside the old one,
/// synced and renamed over it, so the file is always whole, the old or the new.
public struct RegistryWriter: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public enum Outcome: Sendable {
        /// The registry the change was made to, when the files were read: what it replaced.
        public var before: Registry? {
            switch self {
            case .written(_, _, let before): before
            case .alreadyThere(let registry): registry
            case .refused: nil
            }
        }

        /// Written to `file`; the registry as the files now give it, and as they gave it before.
        case written(Registry, file: String, before: Registry)
        /// The files already say so (a change written before a crash, or by hand).
        case alreadyThere(Registry)
        case refused(RegistryChangeProblem)
    }

    public func write(_ change: RegistryChange) -> Outcome {
        switch writing(change) {
        case .refused(.files(let why)): .refused(.files(withoutPaths(why)))
        case let outcome: outcome
        }
    }

    /// A problem as the coordinator reads it in chat: file names, not where the server keeps them.
    func withoutPaths(_ text: String) -> String {
        var places = [directory.path, directory.standardizedFileURL.path, directory.resolvingSymlinksInPath().path]
        places += places.map { YAMLDirectory.displayPath(URL(fileURLWithPath: $0)) }
        var shown = text
        for place in Set(places).filter({ !$0.isEmpty && $0 != "/" }).sorted(by: { $0.count > $1.count }) {
            shown = shown.replacingOccurrences(of: place.hasSuffix("/") ? place : place + "/", with: "")
            shown = shown.replacingOccurrences(of: place, with: (place as NSString).lastPathComponent)
        }
        return shown
    }

    private func writing(_ change: RegistryChange) -> Outcome {
        let files: [(url: URL, file: String, text: String)]
        let current: Registry
        do {
            files = try YAMLDirectory.files(directory, what: "registry")
            current = try RegistryLoader.load(sources: files.map { ($0.file, $0.text) })
        } catch {
            return .refused(.files(Self.describe(error)))
        }
        if change.isIn(current) { return .alreadyThere(current) }
        let expected: Registry
        do {
            expected = try change.applied(to: current)
        } catch {
            return .refused(error)
        }
        let result: RegistryFileEditor.Result
        do {
            result = try RegistryFileEditor(sources: files.map { ($0.file, $0.text) }).edit(change)
        } catch {
            return .refused(error)
        }
        var sources = files.map { ($0.file, $0.text) }
        if result.isNew {
            sources.append((result.file, result.text))
        } else if let index = sources.firstIndex(where: { $0.0 == result.file }) {
            sources[index].1 = result.text
        }
        do {
            let loaded = try RegistryLoader.load(
                sources: sources.sorted { ($0.0 as NSString).lastPathComponent < ($1.0 as NSString).lastPathComponent })
            guard Self.same(loaded, expected) else {
                return .refused(.files("\(result.file) could not be changed safely (its layout is unusual); change it by hand"))
            }
        } catch {
            return .refused(.files("the changed \(result.file) would not load: \(Self.describe(error))"))
        }
        let target =
            result.isNew
            ? directory.appendingPathComponent(result.file)
            : (files.first { $0.file == result.file }?.url ?? directory.appendingPathComponent(result.file))
        do {
            let sibling = files.first { $0.file.hasSuffix("people.yaml") }?.url ?? files.first?.url
            try Self.replace(target, with: result.text, isNew: result.isNew, sibling: sibling)
        } catch {
            return .refused(.files("\(result.file) could not be written: \(error)"))
        }
        return .written(expected, file: result.file, before: current)
    }

    static func same(_ a: Registry, _ b: Registry) -> Bool {
        a.people == b.people && a.units == b.units
    }

    static func describe(_ error: any Error) -> String {
        if let errors = error as? ConfigErrors { return errors.errors.prefix(3).map(\.description).joined(separator: "; ") }
        return "\(error)"
    }

    /// Through a symbolic link to the file it names (the link stays); the file keeps its
    /// permissions and its byte-order mark, a new one takes the permissions of `sibling`.
    static func replace(_ file: URL, with text: String, isNew: Bool, sibling: URL?) throws {
        let target = isNew ? file : file.resolvingSymlinksInPath()
        var mode: mode_t = 0o600
        var info = stat()
        if let from = isNew ? sibling?.resolvingSymlinksInPath() : target, stat(from.path, &info) == 0 {
            mode = info.st_mode & 0o777
        }
        if isNew, FileManager.default.fileExists(atPath: target.path) {
            throw StoreError.io("already exists", path: target.path)
        }
        var data = Data(text.utf8)
        // Foundation drops a byte-order mark when it reads the text; it is put back.
        let bom = Data([0xEF, 0xBB, 0xBF])
        if !isNew, let handle = FileHandle(forReadingAtPath: target.path) {
            if (try? handle.read(upToCount: 3)) == bom { data = bom + data }
            try? handle.close()
        }
        try DurableFile.replace(target.path, with: data)
        chmod(target.path, mode)
    }
}
