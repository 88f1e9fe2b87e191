import Foundation
import Testing
import TestSupport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The output parsed back as JSON, for tests that look at fields rather than text.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}

/// Validates SARIF against the official schema with Python's `jsonschema`, returning the
/// violations (one per line) or "" when the document is valid.
func sarifSchemaViolations(_ sarif: String) throws -> String {
    let schema = try #require(Bundle.module.path(forResource: "sarif-schema-2.1.0", ofType: "json",
                                                  inDirectory: "Fixtures"))
    let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit("python3 lacks jsonschema: install python3-jsonschema or `pip install jsonschema`")
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft4Validator.check_schema(schema)
        document = json.load(sys.stdin)
        validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
            print("/".join(map(str, error.absolute_path)) + ": " + error.message)
        """
    let result = try run("python3", ["-c", script, schema], stdin: sarif, check: false)
    try #require(result.status == 0, "python3 failed: \(result.stderr)")
    return result.stdout
}

/// An XML document read with Foundation's `XMLParser` (libxml2), which rejects what is not
/// well-formed XML 1.0.
final class ParsedXML: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        if !parser.parse() {
            throw parser.parserError ?? CocoaError(.coderReadCorrupt)
        }
    }

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String]) {
        elements.append(Element(name: elementName, attributes: attributes))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName: String?) {
        open.removeLast()
    }
}
