import Foundation
import MigHTTP

/// A forge answered with an error status, or could not be reached.
public struct ForgeError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, or nil when no response came.
    public let status: Int?
    /// What the bot was doing, e.g. "creating the review".
    public let operation: String
    /// What went wrong and what to do next.
    public let message: String

    public var description: String { message }
}

/// What a forge's JSON API needs on every request: the base URL, the credential header, the
/// client, and the hint that names the permission to grant.
struct ForgeAPI {
    let client: HTTPClient
    let base: URL
    let headers: [(name: String, value: String)]
    let forgeName: String
    /// Says which permission or token the request needs, for 401 and 403.
    let permissionHint: (_ status: Int) -> String

    func url(_ path: String, query: [(String, String)] = []) -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        var components = URLComponents(string: text + path)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }

    func request(_ method: HTTPMethod, _ url: URL, json: (any Encodable)? = nil) throws -> HTTPRequest {
        var request = HTTPRequest(method: method, url: url, headers: headers)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            request.body = Array(try encoder.encode(json))
            request.headers.append((name: "Content-Type", value: "application/json"))
        }
        return request
    }

    /// Sends, and turns any status but 2xx into a `ForgeError` that says what to do.
    @discardableResult
    func send(_ request: HTTPRequest, _ operation: String) throws(ForgeError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try client.send(request)
        } catch {
            throw ForgeError(status: nil, operation: operation,
                             message: "\(forgeName) could not be reached while \(operation): \(error.message)")
        }
        guard response.isSuccess else { throw failure(response, operation) }
        return response
    }

    /// Every page of a listing, decoded and concatenated.
    func list<Element: Decodable>(_ url: URL, _ operation: String, as: Element.Type) throws -> [Element] {
        let pages: [HTTPResponse]
        let first = try request(.get, url)
        do {
            pages = try client.sendPaged(first)
        } catch {
            throw ForgeError(status: nil, operation: operation,
                             message: "\(forgeName) could not be reached while \(operation): \(error.message)")
        }
        var all: [Element] = []
        for page in pages {
            guard page.isSuccess else { throw failure(page, operation) }
            all += try decode([Element].self, page, operation)
        }
        return all
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, _ operation: String) throws(ForgeError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(response.body))
        } catch {
            throw ForgeError(status: response.status, operation: operation,
                             message: "\(forgeName) answered \(operation) with JSON migledger cannot read: \(error)")
        }
    }

    func failure(_ response: HTTPResponse, _ operation: String) -> ForgeError {
        let detail = Self.serverMessage(response).map { ": \($0)" } ?? ""
        let what = "\(forgeName) answered \(response.status) while \(operation)\(detail)"
        let next: String = switch response.status {
        case 401, 403: permissionHint(response.status)
        case 404: "Check the repository (--repo), the pull request number (--pr) and the API URL (--api-url); a token that cannot see a private repository also gets 404."
        case 422, 400: "The forge refused the request's content; run with --dry-run to see what migledger would send."
        case 429: "The rate limit stayed exhausted past migledger's retries; run the job again later."
        case 500...599: "The forge kept failing after migledger's retries; run the job again later."
        default: "Run with --verbose to see the requests."
        }
        return ForgeError(status: response.status, operation: operation, message: "\(what). \(next)")
    }

    /// The `message` field forges put in error bodies, cut short.
    static func serverMessage(_ response: HTTPResponse) -> String? {
        struct Body: Decodable {
            let message: String?
            let error: String?
        }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(response.body)),
              let text = body.message ?? body.error, !text.isEmpty else { return nil }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// `owner/name` as two escaped path segments; GitLab takes a project path as one segment.
func pathSegment(_ text: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "/")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
