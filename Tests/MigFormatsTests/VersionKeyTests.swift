import MigFormats
import Testing

@Suite struct VersionKeyTests {
    @Test(arguments: [
        ("1.2.9", "1.2.10"), ("1.9", "1.10"), ("9", "10"), ("20240101000000", "20240101000001"),
        ("2", "20240101000000"), ("1", "1.1"), ("1_1", "1.2"), ("99999999999999999999", "100000000000000000000"),
    ])
    func ordersNumerically(lower: String, higher: String) {
        #expect(VersionKey(parsing: lower) < VersionKey(parsing: higher))
        #expect(!(VersionKey(parsing: higher) < VersionKey(parsing: lower)))
    }

    @Test(arguments: [("1_1", "1.1"), ("007", "7"), ("1", "1.0"), ("1.0.0", "1")])
    func equalVersions(a: String, b: String) {
        #expect(VersionKey(parsing: a) == VersionKey(parsing: b))
        #expect(VersionKey(parsing: a).hashValue == VersionKey(parsing: b).hashValue)
    }

    @Test func textSortsAfterNumbers() {
        #expect(VersionKey(parsing: "999") < VersionKey(parts: [.text("add_view")]))
        #expect(VersionKey(parts: [.text("a")]) < VersionKey(parts: [.text("b")]))
    }
}
