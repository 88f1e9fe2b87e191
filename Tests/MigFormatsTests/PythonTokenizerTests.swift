import MigFormats
import Testing

@Suite struct PythonTokenizerTests {
    @Test func commentsAndStringsHideCode() {
        let source = """
        # def downgrade():
        x = "def downgrade(): # not a comment"
        y = 'it\\'s'  # def upgrade
        """
        let tokens = PythonTokenizer.tokenize(source)
        #expect(tokens.filter { $0.kind == .comment }.map(\.text) == ["# def downgrade():", "# def upgrade"])
        #expect(tokens.filter { $0.kind == .string }.map(\.value) == ["def downgrade(): # not a comment", "it's"])
        #expect(PythonSource(source).definitions.isEmpty)
    }

    @Test func tripleQuotedStringsSpanLines() {
        let source = "doc = '''\ndef downgrade():\n    pass\n'''\nz = \"\"\"a \"quoted\" b\"\"\"\n"
        let tokens = PythonTokenizer.tokenize(source)
        let strings = tokens.filter { $0.kind == .string }
        #expect(strings.count == 2)
        #expect(strings[0].line == 1 && strings[0].endLine == 4)
        #expect(strings[0].value == "\ndef downgrade():\n    pass\n")
        #expect(strings[1].value == #"a "quoted" b"#)
        #expect(tokens.first { $0.text == "z" }?.line == 5)
        #expect(PythonSource(source).definitions.isEmpty)
    }

    @Test(arguments: [("r'a\\nb'", "a\\nb"), ("b'x'", "x"), ("f\"{y}\"", "{y}"), ("u'z'", "z"), ("Rb'\\d'", "\\d"), ("'a\\tb'", "a\tb")])
    func prefixes(literal: String, value: String) {
        let tokens = PythonTokenizer.tokenize("x = \(literal)")
        #expect(tokens.filter { $0.kind == .string }.map(\.value) == [value])
        #expect(tokens.filter { $0.kind == .name }.map(\.text) == ["x"])
    }

    @Test func bracketsJoinLinesAndIndentationIsTracked() {
        let source = """
        def upgrade():
            op.add_column(
                "users",
        # a comment at column one inside brackets
                sa.Column("x"),
            )

        def downgrade():
            pass
        """
        let tokens = PythonTokenizer.tokenize(source)
        #expect(tokens.filter { $0.kind == .indent }.count == 2)
        #expect(tokens.filter { $0.kind == .dedent }.count == 2)
        #expect(tokens.filter { $0.kind == .newline }.count == 4)
        let python = PythonSource(source)
        #expect(python.function(named: "upgrade")?.lines == 1...6)
        #expect(python.function(named: "downgrade")?.lines == 8...9)
    }

    @Test func functionRangesExcludeTrailingOuterComments() {
        let source = "def downgrade():\n    # nothing\n    pass\n    # end of body\n# module comment\n\nx = 1\n"
        let python = PythonSource(source)
        #expect(python.function(named: "downgrade")?.lines == 1...4)
        #expect(python.isEmpty(python.function(named: "downgrade")!))
    }

    @Test func oneLineAndCommentOnlyBodies() {
        let python = PythonSource("def upgrade(): op.drop_table('x')\ndef downgrade():\n    # TODO\n    # later\n")
        #expect(python.function(named: "upgrade")?.lines == 1...1)
        #expect(python.calls(in: python.function(named: "upgrade")!.body).map(\.callee) == ["op.drop_table"])
        #expect(python.function(named: "downgrade")?.lines == 2...4)
        #expect(python.isEmpty(python.function(named: "downgrade")!))
    }

    @Test func assignmentsWithAnnotationsAndValues() {
        let source = """
        revision: str = "ae10"
        down_revision: Union[str, Sequence[str], None] = ("a1", "b2")
        branch_labels = None
        depends_on = ['c3']
        flag = True
        expr = 1 + 2
        """
        let python = PythonSource(source)
        #expect(python.moduleAssignment("revision")?.value == .string("ae10"))
        #expect(python.moduleAssignment("down_revision")?.value == .sequence([.string("a1"), .string("b2")]))
        #expect(python.moduleAssignment("branch_labels")?.value == .noneLiteral)
        #expect(python.moduleAssignment("depends_on")?.value.strings == ["c3"])
        #expect(python.moduleAssignment("flag")?.value == .bool(true))
        #expect(python.moduleAssignment("expr")?.value == .unknown)
        #expect(python.moduleAssignment("down_revision")?.lines == 2...2)
    }

    @Test func callsWithKeywordsAndLambdas() {
        let source = """
        operations = [
            migrations.RunPython(lambda apps, schema: None, migrations.RunPython.noop),
            migrations.RunSQL(sql="UPDATE t SET a = 1", reverse_sql=None),
            migrations.AddField("m", "f", models.IntegerField(default=0)),
        ]
        """
        let python = PythonSource(source)
        guard case .sequence(let items)? = python.moduleAssignment("operations")?.value, items.count == 3,
              case .call(let runPython) = items[0], case .call(let runSQL) = items[1] else {
            Issue.record("operations not parsed")
            return
        }
        #expect(runPython.arguments == [.unknown, .name("migrations.RunPython.noop")])
        #expect(runPython.line == 2)
        #expect(runSQL.argument("sql", position: 0) == .string("UPDATE t SET a = 1"))
        #expect(runSQL.argument("reverse_sql", position: 1) == .noneLiteral)
        #expect(python.calls(in: python.moduleAssignment("operations")!.tokens).map(\.method)
            == ["RunPython", "RunSQL", "AddField", "IntegerField"])
        #expect(python.moduleAssignment("operations")?.lines == 1...5)
    }

    @Test func classBodiesHoldAssignmentsAndMethods() {
        let source = """
        class Migration(migrations.Migration):
            \"\"\"Docstring with def x():\"\"\"
            dependencies = [("shop", "0001_initial")]

            def helper(self):
                return 1
        """
        let python = PythonSource(source)
        let migration = python.definitions.first { $0.kind == .class }!
        #expect(migration.lines == 1...6)
        #expect(python.assignments(in: migration).map(\.target) == ["dependencies"])
        #expect(python.definitions.filter { $0.kind == .function }.map(\.depth) == [1])
    }

    @Test func columnsAndOffsetsAreBytes() {
        let tokens = PythonTokenizer.tokenize("é = 'x'  # c")
        #expect(tokens.first?.text == "é")
        #expect(tokens.first { $0.kind == .string }?.column == 6)
        #expect(tokens.first { $0.kind == .comment }?.range == 10..<13)
    }

    @Test func raiseOnlyBodies() {
        let python = PythonSource("def downgrade():\n    \"\"\"Irreversible.\"\"\"\n    raise NotImplementedError('no')\n")
        let downgrade = python.function(named: "downgrade")!
        #expect(python.onlyRaises(downgrade))
        #expect(!python.isEmpty(downgrade))
    }
}
