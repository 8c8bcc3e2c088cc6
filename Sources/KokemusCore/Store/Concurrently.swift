import Foundation

/// Work spread over the cores, for reading the store's files at start-up: decoding is pure,
/// so the pieces of a snapshot or of a journal are decoded side by side and applied in order.
enum Concurrently {
    /// `transform(0) … transform(count - 1)`, on as many threads as there are cores; each
    /// result (or error) at its index.
    static func map<T>(count: Int, _ transform: (Int) throws -> T) -> [Result<T, any Error>] {
        let results = Slots<T>(count: count)
        withoutActuallyEscaping(transform) { transform in
            nonisolated(unsafe) let transform = transform
            DispatchQueue.concurrentPerform(iterations: count) { index in
                results.set(index, Result { try transform(index) })
            }
        }
        return results.values()
    }

    /// How many pieces to make of a large job: a few per core, so that uneven pieces even out.
    static var width: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }
}

/// One slot per concurrent task; each task writes only its own.
private final class Slots<T>: @unchecked Sendable {
    private var slots: [Result<T, any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.withLock { slots[index] = result }
    }

    func values() -> [Result<T, any Error>] {
        lock.withLock { slots.map { $0! } }
    }
}
