import MigCore
import MigFormats
import Testing

/// Readers meet half-written files and garbage in real repositories; none may trap.
@Suite struct RobustnessTests {
    static let ruby = """
    class A < ActiveRecord::Migration[7.1] # c
      def up
        execute <<~SQL, %q{x}, /re/, ?a, :"s", 'q\\'', "i #{ "n" }"
          UPDATE t SET a = 1;
        SQL
      end
    =begin
    x
    =end
      def self.down = nil
    end
    __END__
    """
    static let python = """
    revision: str = "a"
    down_revision = ('b', "c")  # comment
    def upgrade() -> None:
        op.execute(sa.text(r'''UPDATE t
        SET a = 1'''), x=[1, (2,), {3: 4}], *args, **kw)
        f = lambda a, b: (a, b)
    class Migration(migrations.Migration):
        operations = [migrations.RunPython(f, reverse_code=None), \\
            migrations.RunSQL("x")]
    """
    static let sql = """
    -- migrate:up
    CREATE TABLE `t` (a text DEFAULT 'x''y', b text DEFAULT E'\\'');
    /* a /* nested */ comment */ SELECT $tag$ body $tag$, $1;
    -- migrate:down
    DROP TABLE t;
    """

    @Test(arguments: [ruby, python, sql])
    func everyPrefixOfASourceIsSafe(source: String) {
        let bytes = Array(source.utf8)
        for length in 0...bytes.count {
            let prefix = String(decoding: bytes[..<length], as: UTF8.self)
            _ = RubySource(prefix)
            _ = PythonSource(prefix).calls(in: 0..<PythonSource(prefix).tokens.count)
            _ = SQLScan(prefix).kind()
        }
    }

    @Test func garbageIsSafe() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("def end do if ( ) [ ] { } ' \" ` # % < ~ - : ? / \\ \n \t $ = , . @ r b f _ 1 é".utf8)
        var tree = MemoryTree()
        for round in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<200, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = RubySource(text)
            _ = PythonSource(text)
            _ = SQLScan(text)
            tree.add(RepoPath("m/\(round)_x.rb"), bytes: bytes)
            tree.add(RepoPath("m/\(round)_x.py"), bytes: bytes)
            tree.add(RepoPath("m/\(round)_x.sql"), bytes: bytes)
            tree.add(RepoPath("m/migrations/\(round)_x.py"), bytes: bytes)
        }
        for kind in MigrationFormatKind.allCases {
            _ = try discover(kind, tree, in: "m")
        }
        _ = try FormatDetector.detect(in: tree)
    }
}
