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

    /// One record read back: its byte offset and where its payload lies in the bytes read
    /// (not a copy: a journal of a million records would be in memory twice).
    struct Record {
        var offset: Int64
        var payload: Range<Int>
    }

    struct Recovery {
        var records: [Record]
        /// Where valid data ends; anything after it is a torn tail.
        var validLength: Int64
        var tornBytes: Int64
    }

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

    /// Reads all records of a journal file's bytes.
    static func recover(_ bytes: Data, path: String) throws -> Recovery {
        guard bytes.count >= magic.count else {
            // A journal shorter than its header was being created when the process died.
            return Recovery(records: [], validLength: 0, tornBytes: Int64(bytes.count))
        }
        guard Array(bytes.prefix(magic.count)) == magic else {
            throw StoreError.corruptJournal(path: path, offset: 0, reason: "not a kokemus journal (bad header)")
        }
        return try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Recovery in
            var records: [Record] = []
            var offset = magic.count
            while offset < buffer.count {
                if let length = validRecordLength(buffer, at: offset) {
                    let start = offset + headerBytes
                    records.append(Record(offset: Int64(offset), payload: start..<start + length))
                    offset = start + length
                    continue
                }
                if let later = firstValidRecord(buffer, after: offset) {
                    throw StoreError.corruptJournal(
                        path: path, offset: Int64(offset),
                        reason: "record does not check out; a valid record follows at offset \(later)")
                }
                return Recovery(records: records, validLength: Int64(offset), tornBytes: Int64(buffer.count - offset))
            }
            return Recovery(records: records, validLength: Int64(offset), tornBytes: 0)
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
