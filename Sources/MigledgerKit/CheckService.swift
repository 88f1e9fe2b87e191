public import MigCore
import MigGit
import MigPolicy
import Foundation

/// `migledger check`: findings for a range of commits or for the staged change.
public enum CheckService {
    public enum Target: Sendable, Equatable {
        /// `<base>..<head>`: the commits reachable from head and not from base.
        case range(base: String, head: String)
        /// The index against `HEAD`, for a pre-commit hook.
        case staged
        /// The commits of `HEAD` not on the default branch's upstream.
        case branch
    }

    public static func parseTarget(_ argument: String?, staged: Bool) throws -> Target {
        if staged {
            guard argument == nil else { throw UserFacingError(.usage, "give either a range or --staged, not both") }
            return .staged
        }
        guard let argument else { return .branch }
        let parts = argument.components(separatedBy: "..")
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !parts[1].hasPrefix(".") else {
            throw UserFacingError(.usage, "'\(argument)' is not a range; write <base>..<head>, e.g. origin/main..HEAD")
        }
        return .range(base: parts[0], head: parts[1])
    }

    public static func run(_ workspace: Workspace, target: Target) throws -> [Finding] {
        let repository = workspace.repository
        let guardian = try Guard(workspace: workspace, contentRules: true)
        switch target {
        case .range(let base, let head):
            let baseID = try resolve(base, in: repository, role: "base")
            let headID = try resolve(head, in: repository, role: "head")
            let commits = try repository.walk(pushing: [headID], hiding: [baseID], order: [.topological, .reverse]).all()
            return try guardian.check(commits: commits)
        case .branch:
            let upstream = try defaultUpstream(repository)
            let head = try resolve("HEAD", in: repository, role: "head")
            let commits = try repository.walk(pushing: [head], hiding: [upstream], order: [.topological, .reverse]).all()
            return try guardian.check(commits: commits)
        case .staged:
            let index = try repository.indexTree()
            let parents = try (try? repository.resolveCommit("HEAD")).map { [try repository.treeID(ofCommit: $0)] } ?? []
            return try guardian.check(tree: index, parents: parents, commit: nil)
        }
    }

    static func resolve(_ revision: String, in repository: Repository, role: String) throws -> ObjectID {
        do {
            return try repository.resolveCommit(revision)
        } catch {
            guard error.code == .notFound || error.code == .invalidSpec || error.code == .ambiguous else { throw error }
            let shallowHint = repository.isShallow
                ? " This clone is shallow: fetch the history it lacks with `git fetch --unshallow` (or `git fetch --deepen=200`, or fetch-depth: 0 in actions/checkout)."
                : ""
            throw UserFacingError(.usage, "the \(role) '\(revision)' names no commit here.\(shallowHint)")
        }
    }

    /// The branch the current one will merge into: the remote's default branch, else
    /// origin/main or origin/master.
    private static func defaultUpstream(_ repository: Repository) throws -> ObjectID {
        for candidate in ["refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/remotes/origin/master"] {
            if let id = try repository.referenceTarget(candidate) { return id }
        }
        throw UserFacingError(.usage, "no upstream branch found (origin/HEAD, origin/main, origin/master); give the range to check, e.g. `migledger check main..HEAD`")
    }
}
