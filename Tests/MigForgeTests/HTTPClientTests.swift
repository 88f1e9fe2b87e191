import Foundation
import Logging
import Testing
@testable import MigHTTP

/// The client's policy over a scripted transport: retries, waits, redirects, pages, redaction.
@Suite struct HTTPClientTests {
    /// Answers each request with the next scripted result and records what was sent.
    final class ScriptedTransport: HTTPTransport {
        var script: [Result<HTTPResponse, HTTPError>]
        var sent: [HTTPRequest] = []

        init(_ script: [Result<HTTPResponse, HTTPError>]) {
            self.script = script
        }

        func perform(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse {
            sent.append(request)
            return try script.removeFirst().get()
        }
    }

    final class Sleeps {
        var taken: [Double] = []
    }

    static func client(_ transport: ScriptedTransport, _ sleeps: Sleeps, retry: RetryPolicy = RetryPolicy(),
                       logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) -> HTTPClient {
        HTTPClient(transport: transport, retry: retry, logger: logger, sleep: { sleeps.taken.append($0) })
    }

    static let request = HTTPRequest(method: .get, url: URL(string: "https://forge.example/api/items?per_page=100")!,
                                     headers: [("Authorization", "Bearer s3cr3t"), ("User-Agent", "migledger")])

    static func response(_ status: Int, _ headers: [String: String] = [:]) -> Result<HTTPResponse, HTTPError> {
        .success(HTTPResponse(status: status, headers: headers, body: Array("[]".utf8)))
    }

    @Test func serverErrorsRateLimitsAndBrokenConnectionsAreRetriedWithTheRightPauses() throws {
        let transport = ScriptedTransport([
            Self.response(502), Self.response(429, ["retry-after": "7"]),
            .failure(HTTPError(kind: .connection, message: "reset")),
            Self.response(403, ["x-ratelimit-remaining": "0", "x-ratelimit-reset": "\(Int(Date().timeIntervalSince1970) + 3)"]),
            Self.response(200),
        ])
        let sleeps = Sleeps()
        let response = try Self.client(transport, sleeps, retry: RetryPolicy(maxAttempts: 5)).send(Self.request)
        #expect(response.status == 200 && transport.sent.count == 5)
        #expect(sleeps.taken.count == 4 && sleeps.taken[0] == 1 && sleeps.taken[1] == 7 && sleeps.taken[2] == 4)
        #expect(sleeps.taken[3] > 1 && sleeps.taken[3] <= 3)
    }

    @Test func retriesStopAtTheAttemptAndWaitingBudgets() throws {
        let sleeps = Sleeps()
        let exhausted = ScriptedTransport([Self.response(500), Self.response(500), Self.response(503)])
        #expect(try Self.client(exhausted, sleeps, retry: RetryPolicy(maxAttempts: 3)).send(Self.request).status == 503)
        let patient = ScriptedTransport([Self.response(429, ["retry-after": "3600"])])
        #expect(try Self.client(patient, sleeps).send(Self.request).status == 429)
        #expect(sleeps.taken == [1, 2])
        let forbidden = ScriptedTransport([Self.response(403)])
        #expect(try Self.client(forbidden, sleeps).send(Self.request).status == 403)
        #expect(forbidden.sent.count == 1)
    }

    @Test func timeoutsAndOtherFailuresAreNotRetried() {
        let transport = ScriptedTransport([.failure(HTTPError(kind: .timeout, message: "GET https://forge.example/api/items failed: timed out"))])
        let sleeps = Sleeps()
        #expect(throws: HTTPError.self) { try Self.client(transport, sleeps).send(Self.request) }
        #expect(sleeps.taken.isEmpty && transport.sent.count == 1)
    }

    @Test func redirectsAreFollowedOnlyWithinTheSameHost() throws {
        let transport = ScriptedTransport([Self.response(301, ["location": "/api/v2/items"]), Self.response(200)])
        let sleeps = Sleeps()
        #expect(try Self.client(transport, sleeps).send(Self.request).status == 200)
        #expect(transport.sent.last?.url.absoluteString == "https://forge.example/api/v2/items")

        let away = ScriptedTransport([Self.response(302, ["location": "https://elsewhere.example/items"])])
        do {
            _ = try Self.client(away, sleeps).send(Self.request)
            Issue.record("a redirect to another host was followed")
        } catch {
            #expect(error.kind == .redirect && error.message.contains("elsewhere.example"))
        }
        #expect(away.sent.count == 1)
    }

    @Test func pagesFollowTheLinkHeaderToTheEnd() throws {
        let transport = ScriptedTransport([
            Self.response(200, ["link": "<https://forge.example/api/items?page=2>; rel=\"next\", <https://forge.example/api/items?page=3>; rel=\"last\""]),
            Self.response(200, ["link": "<https://forge.example/api/items?page=3>; rel=\"next\""]),
            Self.response(200, ["link": "<https://forge.example/api/items?page=1>; rel=\"first\""]),
        ])
        let pages = try Self.client(transport, Sleeps()).sendPaged(Self.request)
        #expect(pages.count == 3)
        #expect(transport.sent.map(\.url.query) == ["per_page=100", "page=2", "page=3"])
        #expect(transport.sent.allSatisfy { $0.headers.contains { $0.name == "Authorization" } })

        let offsite = ScriptedTransport([Self.response(200, ["link": "<https://evil.example/items?page=2>; rel=\"next\""])])
        #expect(throws: HTTPError.self) { try Self.client(offsite, Sleeps()).sendPaged(Self.request) }
    }

    @Test func linkHeadersWithCommasAndRelativeTargets() {
        let base = URL(string: "https://forge.example/api/items")!
        #expect(LinkHeader.next(in: "<https://forge.example/a?x=1,2>; rel=\"prev\", </api/items?page=4>; rel=\"next last\"", relativeTo: base)?
            .absoluteString == "https://forge.example/api/items?page=4")
        #expect(LinkHeader.next(in: "<https://forge.example/a>; rel=\"last\"", relativeTo: base) == nil)
        #expect(LinkHeader.next(in: nil, relativeTo: base) == nil)
    }

    @Test func retryAfterAsAnHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let response = HTTPResponse(status: 503, headers: ["retry-after": "Tue, 14 Nov 2023 22:13:40 GMT"])
        #expect(HTTPClient.serverPause(response, now: now) == 20)
    }

    @Test func logsShowRequestsWithSecretsMaskedAndNoQuery() {
        let text = Self.request.redactedDescription
        #expect(text.contains("> GET https://forge.example/api/items\n") && text.contains("> Authorization: ***"))
        #expect(!text.contains("s3cr3t") && !text.contains("per_page"))
        let gitlab = HTTPRequest(method: .post, url: URL(string: "https://u:p@gitlab.example/api/v4/x?private_token=abc")!,
                                 headers: [("PRIVATE-TOKEN", "glpat-123"), ("JOB-TOKEN", "job-456")], body: [1, 2])
        #expect(!gitlab.redactedDescription.contains("glpat-123") && !gitlab.redactedDescription.contains("job-456"))
        #expect(!gitlab.redactedDescription.contains("abc") && !gitlab.redactedDescription.contains("u:p"))
    }

    @Test func curlReportsAConnectionFailureInItsOwnWords() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        // Bound but not listening: the port refuses connections.
        let port = Int(UInt16(bigEndian: address.sin_port))
        let request = HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:\(port)/x?token=hidden")!,
                                  headers: [("Authorization", "Bearer hidden-token")])
        do {
            _ = try CurlTransport().perform(request, timeouts: HTTPTimeouts(connect: 2, total: 2))
            Issue.record("a refused connection did not throw")
        } catch {
            #expect(error.kind == .connection)
            #expect(error.message.hasPrefix("GET http://127.0.0.1:\(port)/x failed: "))
            #expect(!error.message.contains("hidden"))
        }
    }
}
