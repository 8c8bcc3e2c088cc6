import CCurl
import Foundation
import Testing

@testable import CurlKit

/// The libcurl wrapper, exercised through `file://` transfers: real libcurl, no network.
@Suite struct CurlEasyTests {
    func temporaryFile(_ contents: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("curlkit-\(UUID().uuidString)")
        try contents.write(to: url)
        return url
    }

    @Test func readsABody() throws {
        let payload = Data((0..<100_000).map { UInt8($0 % 251) })
        let file = try temporaryFile(payload)
        defer { try? FileManager.default.removeItem(at: file) }
        let easy = try CurlEasy()
        try easy.setURL(file.absoluteString)
        let response = try easy.perform()
        #expect(response.body == payload)
        // The handle is reusable for a second transfer.
        #expect(try easy.perform().body == payload)
    }

    @Test func failureCarriesCurlsCodeAndText() throws {
        let easy = try CurlEasy()
        try easy.setURL("file:///nonexistent/kokemus/\(UUID().uuidString)")
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.code == CURLE_FILE_COULDNT_READ_FILE.rawValue)
        #expect(error?.description.contains("curl error 37") == true)
        #expect(error?.isTransient == false)
    }

    @Test func bodyLargerThanTheCapIsRefused() throws {
        let file = try temporaryFile(Data(count: 10_000))
        defer { try? FileManager.default.removeItem(at: file) }
        let easy = try CurlEasy(maximumBodyBytes: 4_096)
        try easy.setURL(file.absoluteString)
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.description.contains("larger than 4096 bytes") == true)
    }

    @Test func cancellationStopsATransfer() throws {
        let file = try temporaryFile(Data(count: 1_000))
        defer { try? FileManager.default.removeItem(at: file) }
        let easy = try CurlEasy()
        let cancellation = CurlCancellation()
        cancellation.cancel()
        easy.setCancellation(cancellation)
        try easy.setURL(file.absoluteString)
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.isCancelled == true)
    }

    @Test func recipientsWithLineBreaksNeverReachCurl() throws {
        let easy = try CurlEasy()
        #expect(throws: CurlError.self) { try easy.setMailRecipients(["<a@example.org>\r\nRCPT TO:<b@example.org>"]) }
        #expect(throws: Never.self) { try easy.setMailRecipients(["<a@example.org>", "<b@example.org>"]) }
    }

    @Test func optionsAreTyped() throws {
        let easy = try CurlEasy()
        #expect(throws: Never.self) {
            try easy.set(CURLOPT_TIMEOUT_MS, 5_000)
            try easy.set(CURLOPT_USERAGENT, "kokemus-test")
            try easy.setHeaders(["Accept: application/json", "X-Test: 1"])
            try easy.setBody(Data(#"{"a":1}"#.utf8))
        }
        // An unknown protocol is refused by curl with its own code.
        try easy.setURL("gopherx://127.0.0.1/")
        let error = #expect(throws: CurlError.self) { try easy.perform() }
        #expect(error?.code == CURLE_UNSUPPORTED_PROTOCOL.rawValue)
    }

    @Test func responseHeaderLookupIsCaseInsensitive() {
        let response = CurlResponse(
            statusCode: 429, headerLines: ["HTTP/1.1 429 Too Many Requests", "Retry-After: 3"],
            body: Data(), retryAfterSeconds: 3)
        #expect(response.header("retry-after") == "3")
        #expect(response.header("Content-Type") == nil)
    }
}

/// A wait between polls or retries ends as soon as the client is shut down.
@Suite struct CurlCancellationSleepTests {
    @Test func aCancelWakesALongSleep() async {
        let cancellation = CurlCancellation()
        async let slept = cancellation.sleep(seconds: 3600)
        cancellation.cancel()
        #expect(await slept == false)
        #expect(await CurlCancellation().sleep(seconds: 0.01) == true)
    }
}
