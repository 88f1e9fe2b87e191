import MigPolicy

/// Parses `yaml` as the file `migledger.yml`.
func policy(_ yaml: String) throws(PolicyError) -> Policy {
    try Policy.parse(Array(yaml.utf8), fileName: "migledger.yml")
}

/// The problems `yaml` is rejected with; empty when it loads.
func problems(_ yaml: String) -> [PolicyError.Problem] {
    do throws(PolicyError) {
        _ = try Policy.parse(Array(yaml.utf8), fileName: "migledger.yml")
        return []
    } catch {
        return error.problems
    }
}

/// Each problem as `line:column: key.path: message`, the file name left out.
func located(_ yaml: String) -> [String] {
    problems(yaml).map { problem in
        let place = [problem.line, problem.column].compactMap { $0 }.map(String.init).joined(separator: ":")
        return place + ": " + (problem.keyPath.isEmpty ? "" : problem.keyPath + ": ") + problem.message
    }
}
