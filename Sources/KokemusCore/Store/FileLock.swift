import Foundation

/// An exclusive `flock` on a file, held for the life of the process so that only one
/// process uses a state directory. `flock` (unlike POSIX `fcntl` locks) is not dropped
/// when some other descriptor of the same file is closed.
final class FileLock {
    private let descriptor: Int32
    let path: String

    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.io("cannot open lock file", path: path) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(descriptor, &buffer, buffer.count)
            close(descriptor)
            guard error == EWOULDBLOCK else { throw StoreError.io("cannot lock", path: path, errno: error) }
            let pid =
                count > 0
                ? String(decoding: buffer[0..<count], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines) : nil
            throw StoreError.locked(path: path, pid: pid?.isEmpty == false ? pid : nil)
        }
        self.descriptor = descriptor
        // Record our pid so that a second instance can say who holds the lock.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
