public import Foundation
public import Logging

/// How hard the client tries before it gives up.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// Seconds the client may spend sleeping between attempts, over one request.
    public var maxWait: Double
    /// The first pause when the server names none; it doubles with each attempt.
    public var initialBackoff: Double

    public init(maxAttempts: Int = 4, maxWait: Double = 60, initialBackoff: Double = 1) {
        self.maxAttempts = maxAttempts
        self.maxWait = maxWait
        self.initialBackoff = initialBackoff
    }
}

/// Requests with the policy every forge call needs: bounded timeouts, retries on connection
/// errors, 5xx, 429 and secondary rate limits (honoring `Retry-After`), redirects followed only
/// within the same host (so credentials never travel to another one), and logs that never show
/// a secret header.
public final class HTTPClient {
    public let timeouts: HTTPTimeouts
    public let retry: RetryPolicy
    private let transport: any HTTPTransport
    private let sleep: (Double) -> Void
    private let logger: Logger

    public init(transport: any HTTPTransport, timeouts: HTTPTimeouts = HTTPTimeouts(), retry: RetryPolicy = RetryPolicy(),
                logger: Logger = Logger(label: "migledger.http", factory: { _ in SwiftLogNoOpLogHandler() }),
                sleep: @escaping (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }) {
        self.transport = transport
        self.timeouts = timeouts
        self.retry = retry
        self.logger = logger
        self.sleep = sleep
    }

    /// Sends `request`, retrying and following redirects as the policy says. Any final response
    /// is returned, whatever its status; only transport failures throw.
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        var current = request
        var attempt = 1
        var waited = 0.0
        var redirects = 0
        while true {
            logger.debug("\(current.redactedDescription)")
            let response: HTTPResponse
            do {
                response = try transport.perform(current, timeouts: timeouts)
            } catch {
                guard error.kind == .connection,
                      let pause = allowedPause(nil, attempt: attempt, waited: waited) else {
                    throw error
                }
                logger.debug("< \(error.message); retrying in \(pause)s")
                sleep(pause)
                waited += pause
                attempt += 1
                continue
            }
            logger.debug("< \(response.status) \(current.method.rawValue) \(current.url.redactedString)")

            if [301, 302, 303, 307, 308].contains(response.status) {
                current = try redirected(current, by: response, count: &redirects)
                continue
            }
            if isRetryable(response) {
                let asked = Self.serverPause(response)
                if let pause = allowedPause(asked, attempt: attempt, waited: waited) {
                    logger.debug("< retrying in \(pause)s")
                    sleep(pause)
                    waited += pause
                    attempt += 1
                    continue
                }
            }
            return response
        }
    }

    /// Every page of a listing: follows `Link: rel="next"` until the last page.
    public func sendPaged(_ request: HTTPRequest, maxPages: Int = 100) throws(HTTPError) -> [HTTPResponse] {
        var pages: [HTTPResponse] = []
        var current = request
        while true {
            let response = try send(current)
            pages.append(response)
            guard response.isSuccess, pages.count < maxPages,
                  let next = LinkHeader.next(in: response.header("link"), relativeTo: current.url) else { return pages }
            guard Self.sameOrigin(next, current.url) else {
                throw HTTPError(kind: .redirect, message: "\(current.method.rawValue) \(current.url.redactedString): the next page is on another host (\(next.host ?? "?")); not following it with the token")
            }
            current.url = next
        }
    }

    private func isRetryable(_ response: HTTPResponse) -> Bool {
        if response.status == 429 || (500...599).contains(response.status) && response.status != 501 { return true }
        // GitHub's secondary rate limit answers 403 with Retry-After, or with an exhausted quota.
        return response.status == 403
            && (response.header("retry-after") != nil || response.header("x-ratelimit-remaining") == "0")
    }

    /// The pause before the next attempt, or nil when the attempts or the waiting budget are spent.
    private func allowedPause(_ asked: Double?, attempt: Int, waited: Double) -> Double? {
        guard attempt < retry.maxAttempts else { return nil }
        let pause = max(0, asked ?? retry.initialBackoff * pow(2, Double(attempt - 1)))
        guard waited + pause <= retry.maxWait else { return nil }
        return pause
    }

    /// Seconds the server asks for: `Retry-After` (seconds or an HTTP date), else the rate-limit reset.
    static func serverPause(_ response: HTTPResponse, now: Date = Date()) -> Double? {
        if let value = response.header("retry-after")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(value) { return seconds }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: value) { return max(0, date.timeIntervalSince(now)) }
        }
        if response.header("x-ratelimit-remaining") == "0", let reset = response.header("x-ratelimit-reset").flatMap(Double.init) {
            return max(0, reset - now.timeIntervalSince1970)
        }
        return nil
    }

    private func redirected(_ request: HTTPRequest, by response: HTTPResponse, count: inout Int) throws(HTTPError) -> HTTPRequest {
        let origin = "\(request.method.rawValue) \(request.url.redactedString)"
        guard let location = response.header("location"), let target = URL(string: location, relativeTo: request.url)?.absoluteURL else {
            throw HTTPError(kind: .redirect, message: "\(origin) answered \(response.status) without a usable Location")
        }
        guard Self.sameOrigin(target, request.url) else {
            throw HTTPError(kind: .redirect, message: "\(origin) redirects to another host (\(target.host ?? "?")); not following it with the token. Give the API URL of the forge itself with --api-url")
        }
        count += 1
        guard count <= 5 else { throw HTTPError(kind: .redirect, message: "\(origin): more than 5 redirects") }
        var next = request
        next.url = target
        if response.status == 303 {
            next.method = .get
            next.body = nil
        }
        return next
    }

    static func sameOrigin(_ one: URL, _ two: URL) -> Bool {
        one.scheme?.lowercased() == two.scheme?.lowercased() && one.host?.lowercased() == two.host?.lowercased()
            && one.port == two.port
    }
}
