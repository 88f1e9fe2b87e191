import Foundation
import MigHTTP
import Testing
import TestSupport

/// The Python fake forge in Fixtures/forge, started for one test: it answers like GitHub,
/// GitLab or Gitea and checks every request against the copied API description.
final class FakeForge {
    enum Flavour: String {
        case github, gitlab, gitea

        var spec: String {
            switch self {
            case .github: "github-openapi-subset.json"
            case .gitlab: "gitlab-api-subset.json"
            case .gitea: "gitea-swagger-subset.json"
            }
        }

        /// The API root migledger is given.
        var apiPath: String {
            switch self {
            case .github: ""
            case .gitlab: "/api/v4"
            case .gitea: "/api/v1"
            }
        }
    }

    static let token = "tok_Sekr3t-c0ffee-4242-migledger"

    let flavour: Flavour
    let port: Int
    private let process: Process
    private let client: HTTPClient

    var root: String { "http://127.0.0.1:\(port)" }
    var apiURL: String { root + flavour.apiPath }

    init(_ flavour: Flavour) throws {
        self.flavour = flavour
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("forge")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", folder.appendingPathComponent("fake_forge.py").path, "--flavour", flavour.rawValue,
                             "--spec", folder.appendingPathComponent(flavour.spec).path, "--token", Self.token,
                             "--lifetime", "120"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw FakeForgeError(message: "the fake forge did not print its port")
        }
        self.process = process
        self.port = port
        client = HTTPClient(transport: try CurlTransport(), retry: RetryPolicy(maxAttempts: 1))
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// Tells the forge which pull request it serves and where its git repository is.
    func setPullRequest(number: Int, head: String, base: String, repository: String) throws {
        try control(.post, "pr", ["number": number, "head": head, "base": base, "repo": repository])
    }

    /// Scripts faults: each is `method`, `path` (a regex), `times`, `action` and its details.
    func script(_ faults: [[String: Any]]) throws {
        try control(.post, "script", faults)
    }

    struct Request {
        let method: String
        let path: String
        let headers: [String: String]
        let body: String
    }

    struct State {
        let requests: [Request]
        let violations: [String]
        let reviews: [[String: Any]]
        let reviewComments: [[String: Any]]
        let comments: [[String: Any]]
        let statuses: [[String: Any]]
        let discussions: [[String: Any]]

        var writes: [Request] { requests.filter { $0.method != "GET" } }
    }

    func state() throws -> State {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(control(.get, "state", nil))) as? [String: Any])
        let requests = (object["requests"] as? [[String: Any]] ?? []).map {
            Request(method: $0["method"] as? String ?? "", path: $0["path"] as? String ?? "",
                    headers: $0["headers"] as? [String: String] ?? [:], body: $0["body"] as? String ?? "")
        }
        return State(requests: requests, violations: object["violations"] as? [String] ?? [],
                     reviews: object["reviews"] as? [[String: Any]] ?? [],
                     reviewComments: object["review_comments"] as? [[String: Any]] ?? [],
                     comments: object["comments"] as? [[String: Any]] ?? [],
                     statuses: object["statuses"] as? [[String: Any]] ?? [],
                     discussions: object["discussions"] as? [[String: Any]] ?? [])
    }

    @discardableResult
    private func control(_ method: HTTPMethod, _ name: String, _ json: Any?) throws -> [UInt8] {
        var request = HTTPRequest(method: method, url: URL(string: "\(root)/_control/\(name)")!,
                                  headers: [("User-Agent", "migledger-tests")])
        if let json { request.body = Array(try JSONSerialization.data(withJSONObject: json)) }
        let response = try client.send(request)
        guard response.isSuccess else { throw FakeForgeError(message: "control \(name): \(response.status) \(response.text)") }
        return response.body
    }
}

struct FakeForgeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
