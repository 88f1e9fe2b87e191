import Foundation
import MigCore
import MigGit
import MigLedger
import MigPolicy
import TestSupport

/// A repository with a `db/migrate` folder whose `.sql` files are migrations.
struct LedgerFixture {
    let git: GitFixture
    let repository: Repository
    let policy: Policy

    init(environments yaml: String = """
        staging:
          deploys: ["refs/tags/deploy/staging/*"]
        production:
          deploys: ["refs/tags/v*", "refs/environments/production/deployments/*"]
          after: [staging]
        """) throws {
        git = try GitFixture()
        repository = try Repository.open(at: git.path)
        let indented = yaml.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let text = "version: 1\nmigrations:\n  - path: db/migrate\n    format: sql\nenvironments:\n\(indented)\n"
        policy = try Policy.parse(Array(text.utf8), fileName: "migledger.yml")
    }

    static let folder = TrackedFolder(path: RepoPath("db/migrate")) { path in
        path.description.hasSuffix(".sql") ? .migration : .other
    }

    var sync: LedgerSync { LedgerSync(repository: repository, folders: [Self.folder]) }
    var store: LedgerStore { LedgerStore(repository: repository) }

    func environment(_ name: String) -> Policy.Environment { policy.environment(named: name)! }

    @discardableResult
    func commit(_ files: [String: String?], _ message: String, date: String) throws -> String {
        for (path, contents) in files {
            if let contents {
                try git.write(path, contents)
            } else {
                try git.git("rm", "-q", path)
            }
        }
        return try git.commitAll(message, date: date)
    }

    func tag(_ name: String, annotatedAt date: String? = nil, at revision: String = "HEAD") throws {
        if let date {
            try git.git("tag", "-a", name, "-m", name, revision, environment: ["GIT_COMMITTER_DATE": date])
        } else {
            try git.git("tag", name, revision)
        }
    }

    func entries(_ environment: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for entry in try store.read(environment).entries.values {
            result[entry.path.description] = try String(decoding: repository.blob(entry.blob), as: UTF8.self)
        }
        return result
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
