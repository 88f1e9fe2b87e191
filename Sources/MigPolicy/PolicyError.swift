/// A policy that cannot be used, with every problem found in it. The CLI exits 2 on it.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem, located as precisely as the input allows.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The policy file as the user knows it (`migledger.yml`, a `--policy` path, a preset).
        public let file: String
        /// 1-based line, when the problem has a place in the file.
        public let line: Int?
        /// 1-based column in Unicode scalars, when the problem has a place in the file.
        public let column: Int?
        /// Where in the settings, e.g. `rules.prefer-text-field` or `migrations[0].path`; empty for the whole file.
        public let keyPath: String
        /// What is wrong and what to do about it.
        public let message: String

        /// `file:line:column: key.path: message`, the shape editors and CI logs link.
        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            if let column { text += ":\(column)" }
            text += ": "
            if !keyPath.isEmpty { text += keyPath + ": " }
            return text + message
        }
    }

    /// The problems, in file order.
    public let problems: [Problem]

    /// One line per problem.
    public var description: String { problems.map(\.description).joined(separator: "\n") }

    init(problems: [Problem]) {
        self.problems = problems
    }

    init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String = "", message: String) {
        problems = [Problem(file: file, line: line, column: column, keyPath: keyPath, message: message)]
    }
}
