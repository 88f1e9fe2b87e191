import MigSQL
import Testing

/// Where a change is expected, written as text to find so the table reads as the edit it describes.
enum Spot: Sendable, ExpressibleByStringLiteral {
    /// The first occurrence of the text, moved on by `plus` characters.
    case at(String, plus: Int)
    case last(String)
    case end
    case line(Int, Int)

    init(stringLiteral text: String) {
        self = .at(text, plus: 0)
    }

    /// Line and column in `file`; the fixtures are ASCII, so bytes are columns.
    func position(in file: [UInt8]) -> (line: Int, column: Int) {
        let offset: Int
        switch self {
        case .at(let text, let plus): offset = Spot.occurrences(of: text, in: file).first! + plus
        case .last(let text): offset = Spot.occurrences(of: text, in: file).last!
        case .end: offset = file.count
        case .line(let line, let column): return (line, column)
        }
        let before = file[..<offset]
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return (before.filter { $0 == UInt8(ascii: "\n") }.count + 1, offset - lineStart + 1)
    }

    private static func occurrences(of text: String, in file: [UInt8]) -> [Int] {
        let needle = Array(text.utf8)
        guard needle.count <= file.count else { return [] }
        return (0...(file.count - needle.count)).filter { file[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

enum Want: Sendable {
    case identical
    case allowed(String)
    case changed(old: Spot, new: Spot)

    static let lineEndingsOnly = Want.allowed("only line endings changed")
    static let whitespaceOnly = Want.allowed("only whitespace changed")
    static let formattingOnly = Want.allowed("only comments and formatting changed")
}

struct Edit: Sendable, CustomTestStringConvertible {
    let name: String
    let language: EditComparison.Language
    let old: String
    let new: String
    let exact: Want
    let lineEndings: Want
    let whitespace: Want
    let tokens: Want

    var testDescription: String { "\(language) \(name)" }

    init(_ name: String, _ language: EditComparison.Language, old: String, new: String,
         exact: Want, lineEndings: Want? = nil, whitespace: Want, tokens: Want) {
        self.name = name
        self.language = language
        self.old = old
        self.new = new
        self.exact = exact
        self.lineEndings = lineEndings ?? exact
        self.whitespace = whitespace
        self.tokens = tokens
    }

    /// The edits every language shares: no change, and changes only `line-endings` ignores.
    static func common(_ language: EditComparison.Language, _ base: String) -> [Edit] {
        [
            Edit("unchanged", language, old: base, new: base,
                 exact: .identical, whitespace: .identical, tokens: .identical),
            Edit("CRLF line endings", language, old: base, new: base.replacing("\n", with: "\r\n"),
                 exact: .changed(old: "\n", new: "\r\n"), lineEndings: .lineEndingsOnly,
                 whitespace: .lineEndingsOnly, tokens: .lineEndingsOnly),
            Edit("final newline removed", language, old: base, new: String(base.dropLast()),
                 exact: .changed(old: .last("\n"), new: .end), lineEndings: .lineEndingsOnly,
                 whitespace: .lineEndingsOnly, tokens: .lineEndingsOnly),
            Edit("blank lines added at the end", language, old: base, new: base + "\r\n\n",
                 exact: .changed(old: .end, new: .last("\r\n")), lineEndings: .lineEndingsOnly,
                 whitespace: .lineEndingsOnly, tokens: .lineEndingsOnly),
        ]
    }
}

@Suite struct EditComparisonTests {
    static let sql = """
    -- Add a status column to accounts
    CREATE TABLE "Accounts" (
        id bigint PRIMARY KEY,
        status text NOT NULL DEFAULT 'active'
    );

    """

    static let sqlEdits = Edit.common(.sql, sql) + [
        Edit("reindented", .sql, old: sql, new: sql.replacing("    ", with: "  "),
             exact: .changed(old: "  id", new: "id"), whitespace: .whitespaceOnly, tokens: .whitespaceOnly),
        Edit("comment added", .sql, old: sql, new: sql.replacing("KEY,", with: "KEY, -- surrogate key"),
             exact: .changed(old: "\n    status", new: " -- surrogate"),
             whitespace: .changed(old: "status text", new: "-- surrogate"), tokens: .formattingOnly),
        Edit("keyword case changed", .sql, old: sql,
             new: sql.replacing("CREATE TABLE", with: "create table").replacing("text NOT NULL", with: "TEXT not null"),
             exact: .changed(old: "CREATE", new: "create"), whitespace: .changed(old: "CREATE", new: "create"),
             tokens: .formattingOnly),
        Edit("unquoted identifier case changed", .sql, old: sql, new: sql.replacing("id bigint", with: "ID bigint"),
             exact: .changed(old: "id bigint", new: "ID bigint"), whitespace: .changed(old: "id bigint", new: "ID bigint"),
             tokens: .formattingOnly),
        Edit("identifier renamed", .sql, old: sql, new: sql.replacing("    status", with: "    state"),
             exact: .changed(old: "us text", new: "e text"), whitespace: .changed(old: "status text", new: "state text"),
             tokens: .changed(old: "status text", new: "state text")),
        Edit("string literal changed", .sql, old: sql, new: sql.replacing("'active'", with: "'Active'"),
             exact: .changed(old: "active'", new: "Active'"), whitespace: .changed(old: "'active'", new: "'Active'"),
             tokens: .changed(old: "'active'", new: "'Active'")),
        Edit("quoted identifier case changed", .sql, old: sql, new: sql.replacing("\"Accounts\"", with: "\"accounts\""),
             exact: .changed(old: "Accounts\"", new: "accounts\""),
             whitespace: .changed(old: "\"Accounts\"", new: "\"accounts\""),
             tokens: .changed(old: "\"Accounts\"", new: "\"accounts\"")),
        Edit("name quoted", .sql, old: sql, new: sql.replacing("id bigint", with: "\"id\" bigint"),
             exact: .changed(old: "id bigint", new: "\"id\""), whitespace: .changed(old: "id bigint", new: "\"id\""),
             tokens: .changed(old: "id bigint", new: "\"id\"")),
        Edit("function body reformatted", .sql,
             old: "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n",
             new: "create function f() returns int as $$\n  SELECT 1\n$$ language sql;\n",
             exact: .changed(old: "CREATE", new: "create"), whitespace: .changed(old: "CREATE", new: "create"),
             tokens: .changed(old: "$$ SELECT", new: "$$\n")),
        Edit("string prefix and exponent case changed", .sql,
             old: "SELECT E'a\\tb', 1E5, X'1F';\n", new: "SELECT e'a\\tb', 1e5, x'1F';\n",
             exact: .changed(old: "E'", new: "e'"), whitespace: .changed(old: "E'", new: "e'"), tokens: .formattingOnly),
        Edit("statement terminator added", .sql, old: "SELECT 1\n", new: "SELECT 1;\n",
             exact: .changed(old: "\n", new: ";"), whitespace: .changed(old: "1", new: "1;"),
             tokens: .changed(old: "\n", new: ";")),
    ]

    static let ruby = """
    class AddStatusToUsers < ActiveRecord::Migration[7.1]
      def up
        add_column :users, :status, :string, default: "active"
        execute <<~SQL
          UPDATE users SET status = 'active' WHERE status IS NULL;
        SQL
      end
    end

    """

    static let rubyEdits = Edit.common(.ruby, ruby) + [
        Edit("reindented", .ruby, old: ruby, new: indented(ruby),
             exact: .changed(old: .line(1, 1), new: .line(1, 1)), whitespace: .whitespaceOnly, tokens: .whitespaceOnly),
        Edit("frozen_string_literal header added", .ruby, old: ruby, new: "# frozen_string_literal: true\n\n" + ruby,
             exact: .changed(old: .line(1, 1), new: .line(1, 1)),
             whitespace: .changed(old: .line(1, 1), new: .line(1, 1)), tokens: .formattingOnly),
        Edit("keyword case changed", .ruby, old: ruby, new: String(ruby.dropLast(4)) + "END\n",
             exact: .changed(old: .last("end"), new: "END"), whitespace: .changed(old: .last("end"), new: "END"),
             tokens: .changed(old: .last("end"), new: "END")),
        Edit("string quotes changed", .ruby, old: ruby, new: ruby.replacing("\"active\"", with: "'active'"),
             exact: .changed(old: "\"active\"", new: "'active'"),
             whitespace: .changed(old: "\"active\"", new: "'active'"), tokens: .formattingOnly),
        Edit("statements joined with a semicolon", .ruby, old: ruby,
             new: ruby.replacing("  def up\n    add_column", with: "  def up; add_column"),
             exact: .changed(old: "\n    add_column", new: "; add_column"),
             whitespace: .changed(old: "up", new: "up;"), tokens: .formattingOnly),
        Edit("arguments wrapped", .ruby, old: ruby,
             new: ruby.replacing(":status, :string,", with: ":status,\n      :string,"),
             exact: .changed(old: " :string", new: "\n      :string"), whitespace: .whitespaceOnly,
             tokens: .whitespaceOnly),
        Edit("identifier renamed", .ruby, old: ruby, new: ruby.replacing(":status,", with: ":state,"),
             exact: .changed(old: "us, :string", new: "e, :string"),
             whitespace: .changed(old: ":status,", new: ":state,"), tokens: .changed(old: ":status,", new: ":state,")),
        Edit("string literal changed", .ruby, old: ruby, new: ruby.replacing("\"active\"", with: "\"inactive\""),
             exact: .changed(old: "active\"", new: "inactive\""),
             whitespace: .changed(old: "\"active\"", new: "\"inactive\""),
             tokens: .changed(old: "\"active\"", new: "\"inactive\"")),
        Edit("heredoc body reindented", .ruby, old: ruby,
             new: ruby.replacing("      UPDATE", with: "        UPDATE"),
             exact: .changed(old: "UPDATE", new: "  UPDATE"), whitespace: .whitespaceOnly, tokens: .whitespaceOnly),
        Edit("heredoc SQL rewrapped", .ruby, old: ruby,
             new: ruby.replacing(" WHERE", with: "\n      WHERE"),
             exact: .changed(old: " WHERE", new: "\n      WHERE"), whitespace: .whitespaceOnly,
             tokens: .changed(old: "<<~SQL", new: "<<~SQL")),
        Edit("dash heredoc reindented", .ruby,
             old: "execute <<-SQL\n  SELECT 1\nSQL\n", new: "execute <<-SQL\n    SELECT 1\n  SQL\n",
             exact: .changed(old: "SELECT", new: .line(2, 3)), whitespace: .whitespaceOnly,
             tokens: .changed(old: "<<-SQL", new: "<<-SQL")),
        Edit("heredoc terminator renamed", .ruby,
             old: "execute <<~SQL\n  SELECT 1\nSQL\n", new: "execute <<~EOS\n  SELECT 1\nEOS\n",
             exact: .changed(old: "SQL", new: "EOS"), whitespace: .changed(old: "<<~SQL", new: "<<~EOS"),
             tokens: .formattingOnly),
    ]

    static let python = """
    # Generated by Django 4.2 on 2024-01-05 09:30

    from django.db import migrations, models


    class Migration(migrations.Migration):

        dependencies = [
            ('accounts', '0001_initial'),
        ]

        operations = [
            migrations.AddField(
                model_name='user',
                name='status',
                field=models.CharField(choices=[('active', 'Active'), ('disabled', 'Disabled')], default='active', max_length=20, null=True),
            ),
        ]

    """

    /// What black 24 makes of it.
    static let pythonBlack = """
    # Generated by Django 4.2 on 2024-01-05 09:30

    from django.db import migrations, models


    class Migration(migrations.Migration):

        dependencies = [
            ("accounts", "0001_initial"),
        ]

        operations = [
            migrations.AddField(
                model_name="user",
                name="status",
                field=models.CharField(
                    choices=[("active", "Active"), ("disabled", "Disabled")],
                    default="active",
                    max_length=20,
                    null=True,
                ),
            ),
        ]

    """

    static let pythonEdits = Edit.common(.python, python) + [
        Edit("reindented", .python, old: python, new: python.replacing("    ", with: "  "),
             exact: .changed(old: "  dependencies", new: "dependencies"), whitespace: .whitespaceOnly,
             tokens: .whitespaceOnly),
        Edit("Django header changed", .python, old: python,
             new: python.replacing("4.2 on 2024-01-05 09:30", with: "4.2.7 on 2024-02-01 10:00"),
             exact: .changed(old: " on 2024", new: ".7 on"), whitespace: .changed(old: "4.2 on", new: "4.2.7"),
             tokens: .formattingOnly),
        Edit("black reformatting", .python, old: python, new: pythonBlack,
             exact: .changed(old: "'accounts'", new: "\"accounts\""),
             whitespace: .changed(old: "('accounts',", new: "(\"accounts\","), tokens: .formattingOnly),
        Edit("keyword case changed", .python, old: python, new: python.replacing("null=True", with: "null=true"),
             exact: .changed(old: "True", new: "true"), whitespace: .changed(old: "null=True", new: "null=true"),
             tokens: .changed(old: "True", new: "true")),
        Edit("identifier renamed", .python, old: python, new: python.replacing("dependencies", with: "depends"),
             exact: .changed(old: "encies", new: .at("depends", plus: 6)),
             whitespace: .changed(old: "dependencies", new: "depends"), tokens: .changed(old: "dependencies", new: "depends")),
        Edit("string literal changed", .python, old: python, new: python.replacing("'status'", with: "'state'"),
             exact: .changed(old: .at("status'", plus: 4), new: .at("state'", plus: 4)),
             whitespace: .changed(old: "name='status'", new: "name='state'"),
             tokens: .changed(old: "'status'", new: "'state'")),
        Edit("string escapes and prefixes changed", .python,
             old: "x = u'it\\'s'\ny = R'\\d'\n", new: "x = \"it's\"\ny = r\"\\d\"\n",
             exact: .changed(old: "u'", new: "\"it"), whitespace: .changed(old: "u'", new: "\"it"), tokens: .formattingOnly),
        Edit("raw prefix added", .python, old: "x = '\\x41'\n", new: "x = r'\\x41'\n",
             exact: .changed(old: "'", new: "r'"), whitespace: .changed(old: "'", new: "r'"),
             tokens: .changed(old: "'", new: "r'")),
        Edit("trailing comma in a call", .python, old: "f('a')\n", new: "f(\n    'a',\n)\n",
             exact: .changed(old: "'a'", new: "\n"), whitespace: .changed(old: "f(", new: "f("),
             tokens: .formattingOnly),
        Edit("trailing comma of a one-element tuple", .python, old: "x = ('a',)\n", new: "x = ('a')\n",
             exact: .changed(old: ",", new: ")"), whitespace: .changed(old: "('a',)", new: "('a')"),
             tokens: .changed(old: ",", new: ")")),
        Edit("trailing comma in a subscript", .python, old: "x = t['a']\n", new: "x = t['a',]\n",
             exact: .changed(old: "]", new: ","), whitespace: .changed(old: "t[", new: "t["),
             tokens: .changed(old: "]", new: ",")),
        Edit("semicolon split onto lines", .python, old: "a = 1; b = 2\n", new: "a = 1\nb = 2\n",
             exact: .changed(old: ";", new: "\n"), whitespace: .changed(old: "1;", new: "1"), tokens: .formattingOnly),
        Edit("statement dedented", .python, old: "def f():\n    a()\n    b()\n", new: "def f():\n    a()\nb()\n",
             exact: .changed(old: "    b", new: "b"), whitespace: .whitespaceOnly, tokens: .changed(old: "b()", new: "b()")),
    ]

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }
            .joined(separator: "\n")
    }

    @Test(arguments: sqlEdits + rubyEdits + pythonEdits, EditComparison.Mode.allCases)
    func verdict(edit: Edit, mode: EditComparison.Mode) {
        let old = Array(edit.old.utf8), new = Array(edit.new.utf8)
        let want = switch mode {
        case .exact: edit.exact
        case .lineEndings: edit.lineEndings
        case .whitespace: edit.whitespace
        case .tokens: edit.tokens
        }
        let verdict = EditComparison.compare(old: old, new: new, mode: mode, language: edit.language)
        switch want {
        case .identical:
            #expect(verdict == .identical)
        case .allowed(let reason):
            #expect(verdict == .allowed(reason: reason))
        case .changed(let oldSpot, let newSpot):
            guard case .changed(let change) = verdict else {
                Issue.record("expected a change, got \(verdict)")
                return
            }
            let oldWant = oldSpot.position(in: old), newWant = newSpot.position(in: new)
            #expect(change.old.line == oldWant.line && change.old.column == oldWant.column,
                    "old: got \(change.old), want \(oldWant.line):\(oldWant.column)")
            #expect(change.new.line == newWant.line && change.new.column == newWant.column,
                    "new: got \(change.new), want \(newWant.line):\(newWant.column)")
            #expect(change.fallback == nil)
        }
    }

    @Test func modesSpellThePolicyValues() {
        #expect(EditComparison.Mode.allCases.map(\.rawValue) == ["exact", "line-endings", "whitespace", "tokens"])
    }

    @Test func positionsAreOneBasedLinesAndColumns() {
        let old = Array(Self.sql.utf8), new = Array(Self.sql.replacing("'active'", with: "'Active'").utf8)
        let verdict = EditComparison.compare(old: old, new: new, mode: .exact, language: .sql)
        #expect(verdict == .changed(EditComparison.Change(
            old: SourceLocation(offset: 122, line: 4, column: 35), new: SourceLocation(offset: 122, line: 4, column: 35),
            fallback: nil)))
        let tokens = EditComparison.compare(old: old, new: new, mode: .tokens, language: .sql)
        #expect(tokens == .changed(EditComparison.Change(
            old: SourceLocation(offset: 121, line: 4, column: 34), new: SourceLocation(offset: 121, line: 4, column: 34),
            fallback: nil)))
    }

    @Test func columnsCountCharactersAndChangesInsideOneReportIt() {
        let verdict = EditComparison.compare(old: Array("-- café\n".utf8), new: Array("-- cafè\n".utf8),
                                             mode: .exact, language: .sql)
        #expect(verdict == .changed(EditComparison.Change(
            old: SourceLocation(offset: 6, line: 1, column: 7), new: SourceLocation(offset: 6, line: 1, column: 7),
            fallback: nil)))
    }

    @Test func emptyFiles() {
        #expect(EditComparison.compare(old: [], new: [], mode: .exact, language: .sql) == .identical)
        #expect(EditComparison.compare(old: [], new: Array("\n".utf8), mode: .lineEndings, language: .sql)
            == .allowed(reason: "only line endings changed"))
        #expect(EditComparison.compare(old: [], new: Array("-- only a comment\n".utf8), mode: .tokens, language: .sql)
            == .allowed(reason: "only comments and formatting changed"))
        #expect(EditComparison.compare(old: Array("x".utf8), new: [], mode: .whitespace, language: .other)
            == .changed(EditComparison.Change(old: SourceLocation(offset: 0, line: 1, column: 1),
                                              new: SourceLocation(offset: 0, line: 1, column: 1), fallback: nil)))
    }

    @Test func loneCarriageReturnsAreLineEndings() {
        #expect(EditComparison.compare(old: Array("a\rb\r".utf8), new: Array("a\nb".utf8), mode: .lineEndings,
                                       language: .other) == .allowed(reason: "only line endings changed"))
    }

    @Test func lineEndingsAndWhitespaceTogetherAreWhitespace() {
        #expect(EditComparison.compare(old: Array("a b\n".utf8), new: Array("a  b\r\n".utf8), mode: .whitespace,
                                       language: .other) == .allowed(reason: "only whitespace changed"))
        #expect(EditComparison.compare(old: Array("a b\n".utf8), new: Array("a  b\r\n".utf8), mode: .lineEndings,
                                       language: .other)
            == .changed(EditComparison.Change(old: SourceLocation(offset: 2, line: 1, column: 3),
                                              new: SourceLocation(offset: 2, line: 1, column: 3), fallback: nil)))
    }
}

@Suite struct EditComparisonFallbackTests {
    private let latin1Comment: [UInt8] = Array("-- caf".utf8) + [0xE9] + Array("\nSELECT 1;\n".utf8)

    @Test func bytesModesWorkOnAnyBytes() {
        let new = latin1Comment + Array("\n".utf8)
        #expect(EditComparison.compare(old: latin1Comment, new: new, mode: .lineEndings, language: .sql)
            == .allowed(reason: "only line endings changed"))
        let edited = Array("-- caf".utf8) + [0xE8] + Array("\nSELECT 1;\n".utf8)
        #expect(EditComparison.compare(old: latin1Comment, new: edited, mode: .exact, language: .sql)
            == .changed(EditComparison.Change(old: SourceLocation(offset: 6, line: 1, column: 7),
                                              new: SourceLocation(offset: 6, line: 1, column: 7), fallback: nil)))
    }

    @Test func tokensOnInvalidUTF8ComparesWhitespace() {
        let reindented = Array("-- caf".utf8) + [0xE9] + Array("\n  SELECT 1;\n".utf8)
        #expect(EditComparison.compare(old: latin1Comment, new: reindented, mode: .tokens, language: .sql)
            == .allowed(reason: "only whitespace changed (compared as whitespace because the old file is not valid UTF-8)"))

        let commented = Array("-- caf".utf8) + [0xE9] + Array(" au lait\nSELECT 1;\n".utf8)
        #expect(EditComparison.compare(old: latin1Comment, new: commented, mode: .tokens, language: .sql)
            == .changed(EditComparison.Change(
                old: SourceLocation(offset: 8, line: 2, column: 1), new: SourceLocation(offset: 8, line: 1, column: 9),
                fallback: "compared as whitespace because the old file is not valid UTF-8")))
    }

    @Test func tokensOnInvalidUTF8InTheNewFileOnly() {
        let old = Array("x = 1  # café\n".utf8)
        let new = Array("x = 1 # caf".utf8) + [0xE9] + Array("\n".utf8)
        guard case .changed(let change) = EditComparison.compare(old: old, new: new, mode: .tokens, language: .python) else {
            Issue.record("expected a change")
            return
        }
        #expect(change.fallback == "compared as whitespace because the new file is not valid UTF-8")
        #expect(change.new == SourceLocation(offset: 8, line: 1, column: 9))
    }

    @Test func scanErrorComparesWhitespaceAndSaysWhere() {
        let old = Array("SELECT 1;\nSELECT 'open\n;\n".utf8), new = Array("SELECT  1;\nSELECT 'open\n;\n".utf8)
        #expect(EditComparison.compare(old: old, new: new, mode: .tokens, language: .sql) == .allowed(reason:
            "only whitespace changed (compared as whitespace because the old file does not scan as PostgreSQL: "
                + "unterminated quoted string at or near \"'open ;\" (line 2, column 8))"))
    }

    @Test func scanErrorPositionIsInTheOriginalFile() {
        let old = Array("SELECT 1;\r\n\r\nSELECT 'open".utf8), new = Array("SELECT 2;\r\n\r\nSELECT 'open".utf8)
        guard case .changed(let change) = EditComparison.compare(old: old, new: new, mode: .tokens, language: .sql) else {
            Issue.record("expected a change")
            return
        }
        #expect(change.fallback?.hasSuffix("(line 3, column 8)") == true)
        #expect(change.old == SourceLocation(offset: 7, line: 1, column: 8))
    }

    @Test func nulByteComparesWhitespace() {
        let old = Array("SELECT 1;".utf8) + [0] + Array("DROP TABLE t;".utf8)
        let new = Array("SELECT 1;".utf8) + [0] + Array("DROP TABLE u;".utf8)
        guard case .changed(let change) = EditComparison.compare(old: old, new: new, mode: .tokens, language: .sql) else {
            Issue.record("expected a change")
            return
        }
        #expect(change.fallback?.contains("does not scan as PostgreSQL: invalid byte sequence") == true)
        #expect(change.new.column == 22)
    }

    @Test func noTokenizerComparesWhitespace() {
        #expect(EditComparison.compare(old: Array("a  b".utf8), new: Array("a b".utf8), mode: .tokens, language: .other)
            == .allowed(reason: "only whitespace changed (compared as whitespace because there is no tokenizer for this kind of file)"))
    }
}
