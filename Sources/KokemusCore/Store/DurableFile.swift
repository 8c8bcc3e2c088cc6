import Foundation

/// File operations that survive a crash or power loss: atomic replace with the fsyncs
/// `rename` needs, and directory creation with private permissions.
public enum DurableFile {
    /// Writes `data` to `path` so that after a crash the file holds either the old or the
    /// new content: temp file in the same directory, fsync, rename, fsync the directory.
    public static func replace(_ path: String, with data: Data) throws {
        try replace(path) { output in try output(data) }
    }

    /// The same, with the content written in pieces: `write` calls `output` with each.
    static func replace(_ path: String, writing write: ((Data) throws -> Void) throws -> Void) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.io("cannot create", path: temporary) }
        do {
            try write { piece in try writeAll(descriptor, piece, path: temporary) }
            guard fsync(descriptor) == 0 else { throw StoreError.syncFailed(path: temporary) }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else { throw StoreError.io("cannot rename into place", path: path) }
        try syncDirectory(directory)
    }

    static func writeAll(_ descriptor: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io("cannot write", path: path)
                }
                offset += written
            }
        }
    }

    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io("cannot open directory", path: path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError.syncFailed(path: path) }
    }

    /// Creates the directory (and parents) if needed and makes it private (0700).
    static func makePrivateDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.io("cannot create directory", path: path, errno: EACCES)
        }
        guard chmod(path, 0o700) == 0 else { throw StoreError.io("cannot set permissions on", path: path) }
    }
}
