import MigCore
import OrderedCollections
import Yams

/// One policy document (a file or a preset) as written, every setting optional, so that
/// documents stack key by key: a file over its preset, a preset over the one it extends.
struct PolicyLayer {
    var extends: String?
    var migrations: [Policy.MigrationSet]?
    var environments: [Policy.Environment]?
    var protected: [String]?
    var rules: [String: Severity] = [:]
    var warningsAsErrors: Bool?
    var exceptions: [Policy.Exception]?
    var overrides: Policy.Overrides?
    var immutability: Policy.Immutability?
    var placeholders: [Policy.Placeholder]?
    var hook: Policy.Hook?
}

/// Reads one policy document into a `PolicyLayer`, collecting every problem rather than
/// stopping at the first, so one run shows the user everything to fix.
struct PolicyDecoder {
    private let file: String
    private var problems: [PolicyError.Problem] = []

    /// Decodes `text`, the contents of `file` (named as the user knows it).
    static func decode(_ text: String, file: String) throws(PolicyError) -> PolicyLayer {
        let root: Node?
        do {
            // The basic resolver keeps every scalar a string: YAML 1.1 would read `off` as false
            // and `2026-01-01` as a timestamp, and the policy types its values itself.
            root = try Yams.compose(yaml: text, Resolver.basic)
        } catch let error as YamlError {
            throw PolicyDecoder.syntaxError(error, file: file)
        } catch {
            throw PolicyError(file: file, message: "invalid YAML: \(error)")
        }
        guard let root else {
            throw PolicyError(file: file, message: "the policy is empty; start it with `version: 1`")
        }
        var decoder = PolicyDecoder(file: file)
        let layer = decoder.decodeRoot(root)
        guard decoder.problems.isEmpty else {
            let ordered = decoder.problems.enumerated().sorted {
                ($0.element.line ?? 0, $0.element.column ?? 0, $0.offset)
                    < ($1.element.line ?? 0, $1.element.column ?? 0, $1.offset)
            }
            throw PolicyError(problems: ordered.map(\.element))
        }
        return layer
    }

    private init(file: String) {
        self.file = file
    }

    private static func syntaxError(_ error: YamlError, file: String) -> PolicyError {
        func located(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> PolicyError {
            let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return PolicyError(file: file, line: mark.line, column: mark.column,
                               message: "invalid YAML: \(problem)\(detail); fix the syntax here")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return located(problem, context, mark)
        default:
            return PolicyError(file: file, message: "invalid YAML: \(error)")
        }
    }

    // MARK: Sections

    private static let topLevelKeys = [
        "version", "extends", "migrations", "environments", "protect", "rules", "warnings-as-errors",
        "exceptions", "overrides", "immutability", "placeholders", "hook",
    ]

    private mutating func decodeRoot(_ root: Node) -> PolicyLayer {
        var layer = PolicyLayer()
        guard case .mapping = root else {
            report(root, "", "the policy must be a mapping of settings such as `version: 1`, found \(describe(root))")
            return layer
        }
        guard let fields = fields(of: root, at: "", allowed: Self.topLevelKeys) else { return layer }

        if let version = fields["version"] {
            decodeVersion(version.value)
        } else {
            report(root, "version", "missing; add `version: 1` at the top of the file")
        }
        if let entry = fields["extends"], let name = text(entry.value, at: "extends") {
            if EmbeddedPresets.sources[name] != nil {
                layer.extends = name
            } else {
                let names = EmbeddedPresets.sources.keys.sorted()
                report(entry.value, "extends", "unknown preset '\(name)'\(Suggestion.didYouMean(name, in: names)); "
                    + "the presets are \(names.joined(separator: ", "))")
            }
        }
        if let entry = fields["migrations"] { layer.migrations = decodeMigrations(entry.value) }
        var environments: OrderedDictionary<String, Policy.Environment> = [:]
        if let entry = fields["environments"] {
            environments = decodeEnvironments(entry.value)
            layer.environments = Array(environments.values)
        }
        if let entry = fields["protect"] {
            layer.protected = decodeProtect(entry.value, environments: environments)
        }
        if let entry = fields["rules"] { layer.rules = decodeRules(entry.value) }
        if let entry = fields["warnings-as-errors"] {
            layer.warningsAsErrors = bool(entry.value, at: "warnings-as-errors")
        }
        if let entry = fields["exceptions"] { layer.exceptions = decodeExceptions(entry.value) }
        if let entry = fields["overrides"] { layer.overrides = decodeOverrides(entry.value) }
        if let entry = fields["immutability"] {
            layer.immutability = choice(entry.value, at: "immutability", kind: "immutability mode")
        }
        if let entry = fields["placeholders"] { layer.placeholders = decodePlaceholders(entry.value) }
        if let entry = fields["hook"] { layer.hook = decodeHook(entry.value) }
        return layer
    }

    private mutating func decodeVersion(_ node: Node) {
        guard let version = text(node, at: "version", expected: "the number 1") else { return }
        if version != "1" {
            report(node, "version", "unsupported policy version '\(version)'; this migledger reads `version: 1`")
        }
    }

    private mutating func decodeMigrations(_ node: Node) -> [Policy.MigrationSet]? {
        guard let items = list(node, at: "migrations") else { return nil }
        if items.isEmpty {
            report(node, "migrations", "the list is empty; list at least one migration set, "
                + "or remove `migrations` to detect them automatically")
            return nil
        }
        var sets: [Policy.MigrationSet] = []
        var firstIndex: [RepoPath: Int] = [:]
        for (index, item) in items.enumerated() {
            let keyPath = "migrations[\(index)]"
            guard let fields = fields(of: item, at: keyPath, allowed: ["path", "format", "dialect", "layout"]) else {
                continue
            }
            guard let pathEntry = fields["path"] else {
                report(item, keyPath, "missing `path`; give the folder that holds the migrations, e.g. `path: db/migrate`")
                continue
            }
            let format: MigrationFormatKind? = fields["format"].flatMap {
                choice($0.value, at: keyPath + ".format", kind: "format")
            }
            let dialect: Dialect? = fields["dialect"].map {
                choice($0.value, at: keyPath + ".dialect", kind: "dialect")
            } ?? .postgres
            let layout: Policy.Layout? = fields["layout"].map {
                choice($0.value, at: keyPath + ".layout", kind: "layout")
            } ?? .flat
            guard let path = repositoryPath(pathEntry.value, at: keyPath + ".path", what: "the folder that holds the migrations"),
                  let dialect, let layout else { continue }
            if let first = firstIndex[path] {
                report(pathEntry.value, keyPath + ".path", "'\(path)' is already listed as migrations[\(first)]; list each folder once")
                continue
            }
            if fields["format"] != nil, format == nil { continue }
            firstIndex[path] = index
            sets.append(Policy.MigrationSet(path: path, format: format, dialect: dialect, layout: layout))
        }
        return sets
    }

    private mutating func decodeEnvironments(_ node: Node) -> OrderedDictionary<String, Policy.Environment> {
        guard let entries = mapping(node, at: "environments") else { return [:] }
        var environments: OrderedDictionary<String, Policy.Environment> = [:]
        // The `after` items with their nodes, kept to place reference and cycle errors on them.
        var afterItems: [(environment: String, index: Int, target: String, node: Node)] = []
        for entry in entries {
            let keyPath = "environments." + entry.key
            if let reason = RefGlob.componentProblem(entry.key) {
                report(entry.keyNode, keyPath, "'\(entry.key)' is not a valid environment name: \(reason); "
                    + "the name becomes the ref refs/migledger/<name>, so use letters, digits, '-' and '_'")
                continue
            }
            guard let fields = fields(of: entry.value, at: keyPath, allowed: ["deploys", "after"]) else { continue }
            var deploys: [RefGlob] = []
            if let deploysEntry = fields["deploys"],
               let items = list(deploysEntry.value, at: keyPath + ".deploys",
                                hint: "; write it as a list, e.g. [\"refs/tags/v*\"]") {
                for (index, item) in items.enumerated() {
                    guard let pattern = text(item, at: keyPath + ".deploys[\(index)]") else { continue }
                    do throws(RefGlobError) {
                        deploys.append(try RefGlob(pattern))
                    } catch {
                        report(item, keyPath + ".deploys[\(index)]", "invalid deploy glob '\(pattern)': \(error.reason)")
                    }
                }
            }
            var after: [String] = []
            if let afterEntry = fields["after"], let items = list(afterEntry.value, at: keyPath + ".after") {
                for (index, item) in items.enumerated() {
                    guard let target = text(item, at: keyPath + ".after[\(index)]") else { continue }
                    after.append(target)
                    afterItems.append((entry.key, index, target, item))
                }
            }
            environments[entry.key] = Policy.Environment(name: entry.key, deploys: deploys, after: after)
        }
        checkPromotionOrder(environments, afterItems: afterItems)
        return environments
    }

    /// Every `after` must name an environment, and promotion must not go round in a circle:
    /// a cycle would mean no migration could ever reach any environment on it.
    private mutating func checkPromotionOrder(
        _ environments: OrderedDictionary<String, Policy.Environment>,
        afterItems: [(environment: String, index: Int, target: String, node: Node)]
    ) {
        let names = Array(environments.keys)
        var graph: [String: [(target: String, index: Int, node: Node)]] = [:]
        for item in afterItems {
            if environments[item.target] == nil {
                report(item.node, "environments.\(item.environment).after[\(item.index)]",
                       "unknown environment '\(item.target)'\(Suggestion.didYouMean(item.target, in: names)); "
                       + "`after` names environments listed under `environments`")
            } else {
                graph[item.environment, default: []].append((item.target, item.index, item.node))
            }
        }
        enum VisitState { case visiting, done }
        var states: [String: VisitState] = [:]
        var path: [String] = []
        func visit(_ name: String, _ decoder: inout PolicyDecoder) {
            states[name] = .visiting
            path.append(name)
            for edge in graph[name] ?? [] {
                switch states[edge.target] {
                case .visiting:
                    let start = path.lastIndex(of: edge.target) ?? path.startIndex
                    let cycle = path[start...] + [edge.target]
                    decoder.report(edge.node, "environments.\(name).after[\(edge.index)]",
                                   "environments wait for each other in a cycle (\(cycle.joined(separator: " → "))); "
                                   + "remove one of these `after` entries")
                case .done:
                    break
                case nil:
                    visit(edge.target, &decoder)
                }
            }
            path.removeLast()
            states[name] = .done
        }
        for name in names where states[name] == nil { visit(name, &self) }
    }

    private mutating func decodeProtect(_ node: Node,
                                        environments: OrderedDictionary<String, Policy.Environment>) -> [String]? {
        guard let items = list(node, at: "protect") else { return nil }
        var protected: [String] = []
        for (index, item) in items.enumerated() {
            guard let name = text(item, at: "protect[\(index)]") else { continue }
            if environments[name] == nil {
                report(item, "protect[\(index)]", "unknown environment '\(name)'"
                    + Suggestion.didYouMean(name, in: environments.keys)
                    + "; `protect` names environments listed under `environments`")
            } else if !protected.contains(name) {
                protected.append(name)
            }
        }
        return protected
    }

    private mutating func decodeRules(_ node: Node) -> [String: Severity] {
        guard let entries = mapping(node, at: "rules") else { return [:] }
        var rules: [String: Severity] = [:]
        for entry in entries {
            let keyPath = "rules." + entry.key
            let known = checkRuleID(entry.key, node: entry.keyNode, at: keyPath)
            guard let value = text(entry.value, at: keyPath, expected: "error, warning or off") else { continue }
            let severities = ["error", "warning", "off"]
            guard severities.contains(value), let severity = Severity(rawValue: value) else {
                report(entry.value, keyPath, "unknown severity '\(value)'"
                    + Suggestion.didYouMean(value, in: severities) + "; use error, warning or off")
                continue
            }
            if known { rules[entry.key] = severity }
        }
        return rules
    }

    /// Whether `id` is a catalogue rule; reports it when not.
    private mutating func checkRuleID(_ id: String, node: Node, at keyPath: String) -> Bool {
        if RuleCatalogue.rule(id) != nil { return true }
        let suggestion = Suggestion.didYouMean(id, in: RuleCatalogue.all.map(\.id))
        report(node, keyPath, "unknown rule '\(id)'"
            + (suggestion.isEmpty ? "; `migledger rules` lists every rule id" : suggestion))
        return false
    }

    private mutating func decodeExceptions(_ node: Node) -> [Policy.Exception]? {
        guard let items = list(node, at: "exceptions") else { return nil }
        var exceptions: [Policy.Exception] = []
        for (index, item) in items.enumerated() {
            let keyPath = "exceptions[\(index)]"
            guard let fields = fields(of: item, at: keyPath, allowed: ["rule", "path", "reason", "expires"]) else {
                continue
            }
            var rule: String?
            if let entry = fields["rule"], let id = text(entry.value, at: keyPath + ".rule"),
               checkRuleID(id, node: entry.value, at: keyPath + ".rule") {
                rule = id
            } else if fields["rule"] == nil {
                report(item, keyPath, "missing `rule`; name the rule whose finding is accepted")
            }
            var path: RepoPath?
            if let entry = fields["path"] {
                path = repositoryPath(entry.value, at: keyPath + ".path", what: "the file or folder the exception covers")
            } else {
                report(item, keyPath, "missing `path`; give the file or folder the exception covers")
            }
            var reason: String?
            if let entry = fields["reason"], let text = text(entry.value, at: keyPath + ".reason") {
                if text.allSatisfy(\.isWhitespace) {
                    report(entry.value, keyPath + ".reason", "empty; say why the finding is acceptable, e.g. the review that approved it")
                } else {
                    reason = text
                }
            } else if fields["reason"] == nil {
                report(item, keyPath, "missing `reason`; say why the finding is acceptable, e.g. the review that approved it")
            }
            var expires: CalendarDate?
            var datesValid = true
            if let entry = fields["expires"], let text = text(entry.value, at: keyPath + ".expires", expected: "a date") {
                expires = CalendarDate(text)
                if expires == nil {
                    datesValid = false
                    report(entry.value, keyPath + ".expires", "invalid date '\(text)'; write it as YYYY-MM-DD, e.g. 2026-01-01")
                }
            }
            if let rule, let path, let reason, datesValid {
                exceptions.append(Policy.Exception(rule: rule, path: path, reason: reason, expires: expires))
            }
        }
        return exceptions
    }

    private mutating func decodeOverrides(_ node: Node) -> Policy.Overrides? {
        guard let fields = fields(of: node, at: "overrides", allowed: ["allowed", "variable"]) else { return nil }
        var allowed: [String] = []
        if let entry = fields["allowed"], let items = list(entry.value, at: "overrides.allowed") {
            for (index, item) in items.enumerated() {
                guard let user = text(item, at: "overrides.allowed[\(index)]") else { continue }
                if user.isEmpty {
                    report(item, "overrides.allowed[\(index)]", "empty; give a user name as the forge reports the pusher")
                } else {
                    allowed.append(user)
                }
            }
        }
        var variable: String?
        if let entry = fields["variable"], let name = text(entry.value, at: "overrides.variable") {
            let isName = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
                && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            if isName {
                variable = name
            } else {
                report(entry.value, "overrides.variable", "'\(name)' is not an environment variable name; "
                    + "use letters, digits and '_', not starting with a digit")
            }
        }
        return Policy.Overrides(allowed: allowed, variable: variable)
    }

    private mutating func decodePlaceholders(_ node: Node) -> [Policy.Placeholder]? {
        guard let entries = mapping(node, at: "placeholders") else { return nil }
        var placeholders: [Policy.Placeholder] = []
        for entry in entries {
            let keyPath = "placeholders." + entry.key
            if entry.key.isEmpty {
                report(entry.keyNode, "placeholders", "a placeholder cannot be empty text")
                continue
            }
            guard let replacement = text(entry.value, at: keyPath, expected: "the replacement text") else { continue }
            placeholders.append(Policy.Placeholder(text: entry.key, replacement: replacement))
        }
        return placeholders
    }

    private mutating func decodeHook(_ node: Node) -> Policy.Hook? {
        guard let fields = fields(of: node, at: "hook", allowed: ["on-error"]) else { return nil }
        guard let entry = fields["on-error"] else { return Policy.Hook(onError: .reject) }
        let onError: Policy.OnError? = choice(entry.value, at: "hook.on-error", kind: "value")
        return onError.map { Policy.Hook(onError: $0) }
    }

    // MARK: Typed reading

    private struct Entry {
        let key: String
        let keyNode: Node
        let value: Node
    }

    private mutating func report(_ node: Node, _ keyPath: String, _ message: String) {
        problems.append(PolicyError.Problem(file: file, line: node.mark?.line, column: node.mark?.column,
                                            keyPath: keyPath, message: message))
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): isNull(node) ? "nothing" : "'\(scalar.string)'"
        }
    }

    private func join(_ keyPath: String, _ key: String) -> String {
        keyPath.isEmpty ? key : keyPath + "." + key
    }

    /// The entries of a mapping in file order, duplicates reported and dropped; nothing counts as
    /// an empty mapping, since `rules:` with no entries under it is a natural thing to write.
    private mutating func mapping(_ node: Node, at keyPath: String) -> [Entry]? {
        if isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            report(node, keyPath, "expected a mapping of `key: value` lines, found \(describe(node))")
            return nil
        }
        var entries: [Entry] = []
        var seen: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, !isNull(keyNode) else {
                report(keyNode, keyPath, "expected a text key, found \(describe(keyNode))")
                continue
            }
            let key = scalar.string
            if let first = seen[key] {
                let line = first.mark.map { " on line \($0.line)" } ?? ""
                report(keyNode, join(keyPath, key), "duplicate key '\(key)', first set\(line); keep one")
                continue
            }
            seen[key] = keyNode
            entries.append(Entry(key: key, keyNode: keyNode, value: value))
        }
        return entries
    }

    /// A mapping whose keys must come from `allowed`; unknown keys are reported with a suggestion.
    private mutating func fields(of node: Node, at keyPath: String, allowed: [String]) -> [String: Entry]? {
        guard let entries = mapping(node, at: keyPath) else { return nil }
        var fields: [String: Entry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                fields[entry.key] = entry
                continue
            }
            let suggestion = Suggestion.didYouMean(entry.key, in: allowed)
            report(entry.keyNode, join(keyPath, entry.key), "unknown key '\(entry.key)'"
                + (suggestion.isEmpty ? "; the keys here are \(allowed.joined(separator: ", "))" : suggestion))
        }
        return fields
    }

    /// The items of a list; nothing counts as an empty list.
    private mutating func list(_ node: Node, at keyPath: String, hint: String = "") -> [Node]? {
        if isNull(node) { return [] }
        guard case .sequence(let sequence) = node else {
            report(node, keyPath, "expected a list, found \(describe(node))\(hint)")
            return nil
        }
        return Array(sequence)
    }

    private mutating func text(_ node: Node, at keyPath: String, expected: String = "text") -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            report(node, keyPath, "expected \(expected), found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    private mutating func bool(_ node: Node, at keyPath: String) -> Bool? {
        guard let value = text(node, at: keyPath, expected: "true or false") else { return nil }
        switch value {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            report(node, keyPath, "expected true or false, found '\(value)'")
            return nil
        }
    }

    private mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ node: Node, at keyPath: String, kind: String
    ) -> Value? where Value.RawValue == String {
        let names = Value.allCases.map(\.rawValue)
        guard let raw = text(node, at: keyPath, expected: names.joined(separator: " | ")) else { return nil }
        if let value = Value(rawValue: raw) { return value }
        report(node, keyPath, "unknown \(kind) '\(raw)'\(Suggestion.didYouMean(raw, in: names)); "
            + "use one of \(names.joined(separator: ", "))")
        return nil
    }

    /// A folder or file relative to the repository root, in git's form (no `./`, no trailing `/`).
    private mutating func repositoryPath(_ node: Node, at keyPath: String, what: String) -> RepoPath? {
        guard let raw = text(node, at: keyPath) else { return nil }
        if raw.allSatisfy(\.isWhitespace) {
            report(node, keyPath, "empty; give \(what), relative to the repository root")
            return nil
        }
        if raw.hasPrefix("/") {
            let relative = raw.drop(while: { $0 == "/" })
            report(node, keyPath, "'\(raw)' is absolute; give \(what) relative to the repository root, e.g. '\(relative)'")
            return nil
        }
        let components = raw.split(separator: "/").filter { $0 != "." }
        if components.contains("..") {
            report(node, keyPath, "'\(raw)' contains '..'; give \(what) inside the repository, relative to its root")
            return nil
        }
        return RepoPath(components.joined(separator: "/"))
    }
}
