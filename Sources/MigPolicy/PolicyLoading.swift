public import Foundation
import MigCore

extension Policy {
    /// The names a policy file may have in a repository root, the documented one first.
    public static let fileNames = ["migledger.yml", ".migledger.yml"]

    /// The names of the presets embedded in the binary, sorted.
    public static var presetNames: [String] { EmbeddedPresets.sources.keys.sorted() }

    /// The embedded `recommended` preset: the policy of a repository that has none.
    public static let recommended: Policy = {
        do throws(PolicyError) {
            if let preset = try preset(named: "recommended") { return preset }
            fatalError("the recommended preset is not embedded; policies/recommended.yml is missing")
        } catch {
            // The presets are compiled in and loaded by the tests, so this is a build defect.
            fatalError("the embedded recommended preset is invalid:\n\(error)")
        }
    }()

    /// The embedded preset `name`, resolved like a file that only says `extends: name`; nil
    /// when no preset has that name.
    public static func preset(named name: String) throws(PolicyError) -> Policy? {
        guard EmbeddedPresets.sources[name] != nil else { return nil }
        return Policy(layers: try presetLayers(extending: name, seen: []), extends: name)
    }

    /// The policy file in `folder` (a repository root), or nil when there is none.
    public static func file(in folder: URL) throws(PolicyError) -> URL? {
        let candidates = fileNames.map { folder.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        guard candidates.count < 2 else {
            throw PolicyError(file: fileNames[0], message: "both \(fileNames[0]) and \(fileNames[1]) exist; "
                + "keep \(fileNames[0]), move any settings of \(fileNames[1]) into it, and delete \(fileNames[1])")
        }
        return candidates.first
    }

    /// The policy of the repository rooted at `folder`, or `recommended` when it has no policy file.
    public static func load(inFolder folder: URL) throws(PolicyError) -> Policy {
        guard let file = try file(in: folder) else { return .recommended }
        return try load(file, named: file.lastPathComponent)
    }

    /// The policy in `file` (a `--policy` path), named in errors as the path was given.
    public static func load(contentsOf file: URL) throws(PolicyError) -> Policy {
        try load(file, named: file.relativePath)
    }

    /// The policy in `bytes`, e.g. a git blob; `fileName` names it in errors.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(PolicyError) -> Policy {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw notUTF8(bytes, fileName: fileName) }
        let layer = try PolicyDecoder.decode(text, file: fileName)
        let base = try layer.extends.map { name throws(PolicyError) in try presetLayers(extending: name, seen: []) } ?? []
        return Policy(layers: base + [layer], extends: layer.extends)
    }

    private static func load(_ file: URL, named name: String) throws(PolicyError) -> Policy {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: file.path)
            throw PolicyError(file: name, message: missing
                ? "no such policy file; check the path, or run `migledger init` to write one"
                : "cannot read the policy file (\(error.localizedDescription)); check its permissions")
        }
        return try parse(Array(data), fileName: name)
    }

    /// The layers of preset `name`, the preset it extends first.
    private static func presetLayers(extending name: String, seen: [String]) throws(PolicyError) -> [PolicyLayer] {
        let file = "policies/\(name).yml"
        guard !seen.contains(name) else {
            throw PolicyError(file: file, message: "presets extend each other in a cycle ("
                + (seen + [name]).joined(separator: " → ") + ")")
        }
        // The decoder only accepts `extends` naming an embedded preset, so the lookup succeeds.
        let layer = try PolicyDecoder.decode(EmbeddedPresets.sources[name] ?? "", file: file)
        let base = try layer.extends.map { next throws(PolicyError) in
            try presetLayers(extending: next, seen: seen + [name])
        } ?? []
        return base + [layer]
    }

    private static func notUTF8(_ bytes: [UInt8], fileName: String) -> PolicyError {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1, lineStart = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) {
            if scalar.count == 1, scalar.first == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset + 1
            }
            offset += scalar.count
        }
        let byte = offset < bytes.count ? String(bytes[offset], radix: 16, uppercase: true) : "end"
        return PolicyError(file: fileName, line: line, column: offset - lineStart + 1,
                           message: "the policy is not UTF-8 text (byte 0x\(byte) at offset \(offset)); save it as UTF-8")
    }

    /// Stacks `layers`, lowest first: each setting comes from the highest layer that has it, and
    /// `rules` merge rule by rule.
    init(layers: [PolicyLayer], extends: String?) {
        var rules: [String: Severity] = [:]
        var pinned: Set<String> = []
        var warningsAsErrors = false
        var migrations: [MigrationSet] = []
        var environments: [Environment] = []
        var protected: [String]?
        var exceptions: [Exception] = []
        var overrides = Overrides(allowed: [], variable: nil)
        var immutability = Immutability.lineEndings
        var placeholders: [Placeholder] = []
        var hook = Hook(onError: .reject)
        for layer in layers {
            if let setting = layer.warningsAsErrors {
                warningsAsErrors = setting
                pinned = []
            }
            for (id, severity) in layer.rules {
                rules[id] = severity
                if severity == .warning { pinned.insert(id) } else { pinned.remove(id) }
            }
            migrations = layer.migrations ?? migrations
            environments = layer.environments ?? environments
            protected = layer.protected ?? protected
            exceptions = layer.exceptions ?? exceptions
            overrides = layer.overrides ?? overrides
            immutability = layer.immutability ?? immutability
            placeholders = layer.placeholders ?? placeholders
            hook = layer.hook ?? hook
        }
        self.init(version: 1, extends: extends, migrations: migrations, environments: environments,
                  protected: protected ?? environments.map(\.name), rules: rules,
                  warningsAsErrors: warningsAsErrors, exceptions: exceptions, overrides: overrides,
                  immutability: immutability, placeholders: placeholders, hook: hook, pinnedWarnings: pinned)
    }
}
