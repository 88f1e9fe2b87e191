@testable import MigSQL
import Testing

/// The JSON index under `PGNode`, on JSON libpg_query does not write.
@Suite struct JSONReaderTests {
    private func tree(_ json: String) -> PGNode? {
        let bytes = Array(json.utf8)
        let entries = bytes.withUnsafeBufferPointer { try? JSONReader.index($0) }
        return entries.map {
            PGTree(json: bytes, entries: $0, locator: Locator(origin: .contiguous(base: 0), map: OffsetMap(edits: []))).root
        }
    }

    @Test(arguments: ["{}", "[]", " [ ] ", "1", "-12", "\"x\"", "true", "false", "null", #"{"a":[{},[],{"b":null}]}"#])
    func wellFormed(json: String) {
        #expect(tree(json) != nil)
    }

    @Test(arguments: [
        "", "{", "}", "[1,]x", "[1 2]", #"{"a"}"#, #"{"a":}"#, #"{1:2}"#, "[tru]", "nul", #""open"#, "{}{}", "1 2",
        #"{"a":1,}"#, "[,1]", "]",
    ])
    func malformed(json: String) {
        #expect(tree(json) == nil)
    }

    @Test func escapes() {
        let node = tree(#"{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0041","plain":"é"}"#)
        #expect(node?["s"]?.string == "a\"b\\c/d\u{8}\u{C}\n\r\té😀A")
        #expect(node?["plain"]?.string == "é")
    }

    @Test func deepNestingIsIndexedWithoutRecursion() {
        let depth = 200_000
        let node = tree(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(node?.kind == .array)
        #expect(node?[0]?[0]?.kind == .array)
    }

    @Test func scalarsAndEmptyValues() {
        let node = tree(#"{"n":-7,"f":1.5,"t":true,"z":null,"e":[],"o":{}}"#)
        #expect(node?["n"]?.int == -7)
        #expect(node?["f"]?.int == nil)
        #expect(node?["f"]?.kind == .number)
        #expect(node?["t"]?.bool == true)
        #expect(node?["z"]?.kind == .null)
        #expect(node?["e"]?.elements.isEmpty == true)
        #expect(node?["o"]?.fields.isEmpty == true)
        #expect(node?["o"]?.type == nil)
        #expect(node?.fields.map(\.key) == ["n", "f", "t", "z", "e", "o"])
        #expect(node?["e"]?.description == "[]")
    }
}
