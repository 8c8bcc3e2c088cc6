import Foundation

/// The append-only event log: a magic header, then records of
/// `[length: u32 LE][crc32c(length ‖ payload): u32 LE][payload]`.
///
/// Recovery reads records until the end. A bad record (short, wrong checksum, impossible
/// length) with no valid record after it is a torn write from a crash and is cut off; a bad
/// record followed by valid ones is damage, and the store refuses to start.
struct Journal {
    static let magic = Array("KOKJRNL1".utf8)
    static let maximumRecordBytes = 64 << 20
    static let headerBytes = 8

    /// One record read back: its byte offset in the file and where its payload lies in the
    /// block handed over with it (not a copy).
    struct Record {
        var offset: Int64
        var payload: Range<Int>
    }

    struct Recovery: Equatable {
        /// Where valid data ends; anything after it is a torn tail.
        var validLength: Int64
        var tornBytes: Int64
    }

    /// How much of the file is read at a time.
    static let blockBytes = 8 << 20

    /// Encodes one record.
    static func encode(_ payload: Data) -> Data {
        var length = UInt32(payload.count).littleEndian
        var record = Data(capacity: payload.count + headerBytes)
        withUnsafeBytes(of: &length) { record.append(contentsOf: $0) }
        var crc = CRC32C.checksum(payload, seed: CRC32C.checksum(record)).littleEndian
        withUnsafeBytes(of: &crc) { record.append(contentsOf: $0) }
        record.append(payload)
        return record
    }

    /// Reads the journal at `path` a block at a time and hands over each block's whole,
    /// valid records (payloads in place in the block, which is valid only during the call),
    /// so that a large journal is never in memory at once. Nil when there is no journal.
    /// Snapshots are framed the same way behind their own `magic`.
    static func read(
        path: String, magic: [UInt8] = magic, blockBytes: Int = blockBytes,
        records handle: (UnsafeRawBufferPointer, [Record]) throws -> Void
    ) throws -> Recovery? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.io("cannot open", path: path)
        }
        defer { close(descriptor) }
        var buffer: [UInt8] = []
        var bufferStart: Int64 = 0  // the file offset of buffer[0]
        var atEnd = false
        var size = stat()
        var unread = fstat(descriptor, &size) == 0 ? Int(size.st_size) : blockBytes
        /// Reads until the buffer holds `count` bytes (`Int.max`: all) or the file ends.
        func fill(to count: Int) throws {
            while buffer.count < count, !atEnd {
                // No more than the file holds (plus a little, should it grow meanwhile).
                let wanted = count == Int.max ? blockBytes : max(blockBytes, count - buffer.count)
                let want = max(1, min(wanted, unread + 4_096))
                var failed = false
                let chunk = [UInt8](unsafeUninitializedCapacity: want) { bytes, initialized in
                    var got = -1
                    repeat { got = Foundation.read(descriptor, bytes.baseAddress!, want) } while got < 0 && errno == EINTR
                    failed = got < 0
                    initialized = max(got, 0)
                }
                if failed { throw StoreError.io("cannot read", path: path) }
                if chunk.isEmpty { atEnd = true }
                unread -= chunk.count
                buffer.append(contentsOf: chunk)
            }
        }

        try fill(to: magic.count)
        guard buffer.count >= magic.count else {
            // A journal shorter than its header was being created when the process died.
            return Recovery(validLength: 0, tornBytes: Int64(buffer.count))
        }
        guard Array(buffer.prefix(magic.count)) == magic else {
            throw StoreError.corruptJournal(path: path, offset: 0, reason: "bad header")
        }
        var position = magic.count
        while true {
            // The whole records in the buffer; stop at the first that is not (yet) whole and valid.
            var records: [Record] = []
            var bad = false
            try buffer.withUnsafeBytes { bytes in
                while bytes.count - position >= headerBytes {
                    let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    guard length > 0, length <= maximumRecordBytes else {
                        bad = true
                        break
                    }
                    guard position + headerBytes + length <= bytes.count else { break }  // read on
                    guard validRecordLength(bytes, at: position) == length else {
                        bad = true
                        break
                    }
                    records.append(
                        Record(
                            offset: bufferStart + Int64(position),
                            payload: position + headerBytes..<position + headerBytes + length))
                    position += headerBytes + length
                }
                if !records.isEmpty { try handle(bytes, records) }
            }
            if !bad {
                if position == buffer.count, atEnd {
                    return Recovery(validLength: bufferStart + Int64(position), tornBytes: 0)
                }
                if !atEnd {
                    // Keep the unread part and read on: at least the next record whole, if its
                    // header says how long it is.
                    buffer.removeFirst(position)
                    bufferStart += Int64(position)
                    position = 0
                    var next = headerBytes
                    if buffer.count >= headerBytes {
                        next += Int(
                            UInt32(
                                littleEndian: buffer.withUnsafeBytes {
                                    $0.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                                }))
                    }
                    try fill(to: max(next, buffer.count + 1))
                    continue
                }
            }
            // A bad or unfinished record at `position`: damage if any valid record follows
            // (the rest of the file is read to find out), else a torn tail.
            try fill(to: Int.max)
            return try buffer.withUnsafeBytes { bytes in
                if let later = firstValidRecord(bytes, after: position) {
                    throw StoreError.corruptJournal(
                        path: path, offset: bufferStart + Int64(position),
                        reason: "record does not check out; a valid record follows at offset \(bufferStart + Int64(later))")
                }
                return Recovery(validLength: bufferStart + Int64(position), tornBytes: Int64(bytes.count - position))
            }
        }
    }

    /// The payload length of a whole, checksum-valid record at `offset`, or nil.
    private static func validRecordLength(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard buffer.count - offset >= headerBytes else { return nil }
        let length = Int(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard length > 0, length <= maximumRecordBytes, offset + headerBytes + length <= buffer.count else { return nil }
        let stored = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + 4]))
        let payload = UnsafeRawBufferPointer(rebasing: buffer[offset + headerBytes..<offset + headerBytes + length])
        return CRC32C.checksum(payload, seed: lengthCRC) == stored ? length : nil
    }

    /// Looks past a bad record for any valid one, byte by byte: it tells damage in the
    /// middle (valid records follow) from a torn tail (nothing valid follows).
    private static func firstValidRecord(_ buffer: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + headerBytes < buffer.count {
            if validRecordLength(buffer, at: candidate) != nil { return candidate }
            candidate += 1
        }
        return nil
    }
}
