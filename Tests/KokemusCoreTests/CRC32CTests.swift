import Foundation
import Testing

@testable import KokemusCore

/// The journal's checksum: known values (RFC 3720, B.4) and a byte-at-a-time reference.
@Suite struct CRC32CTests {
    static func reference(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func knownValues() {
        #expect(CRC32C.checksum(Data("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(Data(repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum(Data(repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Data((0..<32).map { UInt8($0) })) == 0x46DD_794E)
    }

    @Test func agreesWithTheBitwiseReferenceAtEveryLengthAndSeed() {
        var generator = SplitMix64(seed: 5)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let seed = UInt32.random(in: 0...UInt32.max, using: &generator)
            #expect(CRC32C.checksum(Data(bytes), seed: seed) == Self.reference(bytes, seed: seed))
            // Unaligned starts too.
            let tail = Data(bytes).dropFirst(min(3, length))
            #expect(CRC32C.checksum(tail) == Self.reference(Array(tail)))
        }
    }
}
