import MigFormats
import Testing

@Suite struct RubyTokenizerTests {
    private func code(_ source: String) -> [RubyToken] {
        RubyTokenizer.tokenize(source).filter(\.isCode)
    }

    @Test func commentsAreSingleTokensAndDefsInsideThemDoNotCount() {
        let source = """
        class Foo < ActiveRecord::Migration[7.1]
          # def down
          def up
            add_column :users, :status, :string # def down
          end
        end
        """
        let tokens = RubyTokenizer.tokenize(source)
        #expect(tokens.filter { $0.kind == .comment }.map(\.text) == ["# def down", "# def down"])
        #expect(tokens.filter { $0.kind == .comment }.map(\.line) == [2, 4])
        let methods = RubySource(source).methods
        #expect(methods.map(\.name) == ["up"])
        #expect(methods.first?.lines == 3...5)
    }

    @Test func embeddedDocumentsAndEndMarkerAreComments() {
        let source = """
        =begin
        def down
        end
        =end
        def up
        end
        __END__
        def down; end
        """
        let tokens = RubyTokenizer.tokenize(source)
        let comments = tokens.filter { $0.kind == .comment }
        #expect(comments.count == 2)
        #expect(comments[0].line == 1 && comments[0].endLine == 4)
        #expect(comments[1].line == 7)
        #expect(RubySource(source).methods.map(\.name) == ["up"])
        #expect(RubySource(source).method(named: "up")?.lines == 5...6)
    }

    @Test func quotedStringsKeepKeywordsInside() {
        let tokens = code(#"x = 'def down' + "end #{ "nested }" } done" + `echo end`"#)
        let strings = tokens.filter { $0.kind == .string }
        #expect(strings.count == 3)
        #expect(strings[0].value == "def down")
        #expect(strings[1].value == #"end #{ "nested }" } done"#)
        #expect(strings[2].value == "echo end")
        #expect(!tokens.contains { $0.kind == .keyword && $0.text == "end" })
    }

    @Test func escapedQuotesDoNotEndStrings() {
        let tokens = code(#"a = 'it\'s end'; b = "say \"end\"""#)
        #expect(tokens.filter { $0.kind == .string }.map(\.value) == [#"it\'s end"#, #"say \"end\""#])
    }

    @Test(arguments: ["%q{def down {nested} end}", "%Q(def down (nested) end)", "%w[def down end]", "%(def down end)", "%i<a b>"])
    func percentLiteralsAreStrings(literal: String) {
        let tokens = code("x = \(literal)\ny = 1")
        #expect(tokens.filter { $0.kind == .string }.count == 1)
        #expect(tokens.contains { $0.text == "y" && $0.line == 2 })
        #expect(!tokens.contains { $0.kind == .keyword })
    }

    @Test func moduloIsNotAPercentLiteral() {
        let tokens = code("a = b % c\nd = 10 %(3)")
        #expect(tokens.filter { $0.kind == .string }.isEmpty)
        #expect(tokens.filter { $0.text == "%" }.count == 2)
    }

    @Test func heredocsHoldTheirBodyAndKeepLineNumbers() {
        let source = """
        def up
          execute <<~SQL, <<-'OTHER'
            UPDATE users SET status = 'end';
            def down
          SQL
            raw #{not interpolated}
            OTHER
          add_index :users, :status
        end
        """
        let source2 = RubySource(source)
        let strings = source2.tokens.filter { $0.kind == .string }
        #expect(strings.count == 2)
        #expect(strings[0].text == "<<~SQL")
        #expect(strings[0].value == "    UPDATE users SET status = 'end';\n    def down\n")
        #expect(strings[0].line == 2 && strings[0].endLine == 5)
        #expect(strings[1].value == "    raw #{not interpolated}\n")
        #expect(strings[1].endLine == 7)
        #expect(source2.tokens.first { $0.text == "add_index" }?.line == 8)
        #expect(source2.methods.map(\.name) == ["up"])
        #expect(source2.methods.first?.lines == 1...9)
    }

    @Test func shiftAndSingletonClassAreNotHeredocs() {
        let source = "list << item\nclass << self\n  def x; end\nend\n"
        let tokens = RubyTokenizer.tokenize(source)
        #expect(!tokens.contains { $0.kind == .string })
        #expect(RubySource(source).method(named: "x")?.depth == 1)
    }

    @Test func symbolsLabelsAndVariables() {
        let tokens = code(#"add_index :users, :email, unique: true, if: @x, name: :"idx end", algorithm: $y"#)
        #expect(tokens.filter { $0.kind == .symbol }.map(\.value) == ["users", "email", "idx end"])
        #expect(tokens.filter { $0.kind == .label }.map(\.text) == ["unique", "if", "name", "algorithm"])
        #expect(tokens.filter { $0.kind == .variable }.map(\.text) == ["@x", "$y"])
        #expect(!tokens.contains { $0.kind == .keyword && $0.text == "if" })
    }

    @Test func regexLiteralsAndDivision() {
        let tokens = code("a = x / 2\nb = name =~ /end#'/\nc = foo /bar/")
        #expect(tokens.filter { $0.kind == .string }.map(\.text) == ["/end#'/", "/bar/"])
        #expect(!tokens.contains { $0.kind == .comment })
    }

    @Test func rangesAreUTF8Offsets() {
        let source = "# é\nup"
        let token = RubyTokenizer.tokenize(source).last!
        #expect(token.text == "up")
        #expect(token.range == 5..<7)
        #expect(token.line == 2)
    }

    @Test func modifiersDoNotOpenBlocks() {
        let source = """
        class M
          def up
            return if done?
            x = 1 unless y
            while busy do
              wait
            end
            [1].each do |i|
              y = if i then 1 else 2 end
            end
            begin
              z
            end while false
          end

          def self.down = nil

          def change
          end
        end
        """
        let methods = RubySource(source).methods
        #expect(methods.map(\.name) == ["up", "change"])
        #expect(methods[0].lines == 2...14)
        #expect(methods[1].lines == 18...19)
        #expect(methods.allSatisfy { $0.depth == 1 })
    }

    @Test func singletonMethodsOfOldMigrations() {
        let source = RubySource("class A\n  def self.up\n    create_table :x\n  end\n  def self.down\n  end\nend\n")
        #expect(source.method(named: "down")?.isSingleton == true)
        #expect(source.method(named: "down")?.lines == 5...6)
        #expect(source.method(named: "up").map { source.code(of: $0).map(\.text) } == ["create_table", ":x"])
    }

    @Test func methodCallsNamedLikeKeywordsAreNotKeywords() {
        let tokens = code("x.class\ny.end\ndef end_time; end")
        #expect(tokens.filter { $0.kind == .keyword }.map(\.text) == ["def", "end"])
    }
}
