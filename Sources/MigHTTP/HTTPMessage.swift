public import Foundation

/// HTTP methods the forges need.
public enum HTTPMethod: String, Sendable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"
}

/// One request: everything that goes on the wire. Header names whose values are secrets are
/// listed in `HTTPRequest.secretHeaders` and never shown.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: HTTPMethod, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Headers that carry credentials: their values are only ever written to the socket.
    public static let secretHeaders: Set<String> = ["authorization", "private-token", "job-token", "proxy-authorization"]

    /// The request as a log shows it: method, URL without its query, headers with secrets as `***`.
    public var redactedDescription: String {
        var lines = ["> \(method.rawValue) \(url.redactedString)"]
        for header in headers {
            let value = Self.secretHeaders.contains(header.name.lowercased()) ? "***" : header.value
            lines.append("> \(header.name): \(value)")
        }
        if let body { lines.append("> (\(body.count) bytes of body)") }
        return lines.joined(separator: "\n")
    }
}

/// One response, headers keyed by lowercased name (the last value wins, as forges send each once).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body as text, for error messages.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension URL {
    /// Scheme, host, port and path: queries may carry secrets in some APIs, so they are left out
    /// of everything printed.
    public var redactedString: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false) else { return "(url)" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? "(url)"
    }
}
