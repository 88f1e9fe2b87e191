import MigCore
import MigFormats
import Testing

@Suite struct RailsFormatTests {
    static let change = """
    class AddStatusToUsers < ActiveRecord::Migration[7.1]
      def change
        add_column :users, :status, :string
      end
    end
    """

    @Test func discoversVersionsNamesAndOrder() throws {
        let tree = MemoryTree([
            "db/migrate/20240105093000_add_status_to_users.rb": Self.change,
            "db/migrate/20231201000000_create_users.rb": Self.change,
            "db/migrate/002_legacy_step.rb": Self.change,
            "db/migrate/archive/20220101000000_old_thing.rb": Self.change,
            "db/migrate/20240201000000_scoped_name.animals.rb": Self.change,
        ])
        let found = try discover(.rails, tree, in: "db/migrate")
        #expect(found.paths == [
            "db/migrate/002_legacy_step.rb", "db/migrate/archive/20220101000000_old_thing.rb",
            "db/migrate/20231201000000_create_users.rb", "db/migrate/20240105093000_add_status_to_users.rb",
            "db/migrate/20240201000000_scoped_name.animals.rb",
        ])
        let migration = try #require(found.migration("db/migrate/20240105093000_add_status_to_users.rb"))
        #expect(migration.version == "20240105093000")
        #expect(migration.name == "add_status_to_users")
        #expect(migration.format == .rails)
        #expect(migration.file.objectID == MemoryTree.objectID(Array(Self.change.utf8)))
        #expect(migration.files.count == 1)
        #expect(found.migration("db/migrate/20240201000000_scoped_name.animals.rb")?.name == "scoped_name")
        #expect(found.migration("db/migrate/002_legacy_step.rb")?.version == "002")
    }

    @Test func downParts() throws {
        let tree = MemoryTree([
            "m/1_change.rb": Self.change,
            "m/2_up_down.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n    add_column :a, :b, :int\n  end\n\n  def down\n    remove_column :a, :b\n  end\nend\n",
            "m/3_empty_down.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :x\n  end\n  def down\n    # nothing to do\n  end\nend\n",
            "m/4_irreversible.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :x\n  end\n  def down\n    raise ActiveRecord::IrreversibleMigration\n  end\nend\n",
            "m/5_up_only.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :x\n  end\n  # def down\n  #   create_table :x\n  # end\nend\n",
            "m/6_string_down.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n    execute <<~SQL\n      def down\n      end\n    SQL\n  end\nend\n",
            "m/7_old_style.rb": "class A < ActiveRecord::Migration\n  def self.up\n    create_table :x\n  end\n  def self.down\n    drop_table :x\n  end\nend\n",
        ])
        let found = try discover(.rails, tree, in: "m")
        #expect(found.migration("m/1_change.rb")?.down == .reversibleChange(2...4))
        #expect(found.migration("m/2_up_down.rb")?.down == .section(6...8))
        #expect(found.migration("m/3_empty_down.rb")?.down == .empty(.lines(5...7)))
        #expect(found.migration("m/4_irreversible.rb")?.down == .irreversible(5...7))
        #expect(found.migration("m/5_up_only.rb")?.down == .missing)
        #expect(found.migration("m/6_string_down.rb")?.down == .missing)
        #expect(found.migration("m/7_old_style.rb")?.down == .section(5...7))
    }

    @Test func schemaAndDataKinds() throws {
        func kind(_ body: String) throws -> MigrationKind? {
            let tree = MemoryTree(["m/1_x.rb": "class A < ActiveRecord::Migration[7.1]\n  def up\n\(body)\n  end\nend\n"])
            return try discover(.rails, tree, in: "m").migrations.first?.kind
        }
        #expect(try kind("    User.where(status: nil).update_all(status: 'active')") == .data)
        #expect(try kind("    execute \"UPDATE users SET status = 'a'\"") == .data)
        #expect(try kind("    execute <<~SQL\n      DELETE FROM sessions;\n    SQL") == .data)
        #expect(try kind("    User.find_each { |u| u.update!(x: 1) }") == .data)
        #expect(try kind("    add_column :users, :x, :int\n    User.update_all(x: 1)") == .schema)
        #expect(try kind("    execute 'CREATE INDEX CONCURRENTLY i ON t (a)'") == .schema)
        #expect(try kind("    # User.update_all(x: 1)\n    create_table :t") == .schema)
        #expect(try kind("    say 'nothing'") == .schema)
    }

    @Test func ignoredAndMisnamedFiles() throws {
        var tree = MemoryTree([
            "db/migrate/20240101000000_ok.rb": Self.change,
            "db/migrate/.keep": "",
            "db/migrate/README.md": "notes",
            "db/migrate/schema.rb": "ActiveRecord::Schema.define {}",
            "db/migrate/notes.yml": "a: 1",
            "db/migrate/2024_add users.rb": Self.change,
            "db/migrate/20240101_foo.rb.orig": Self.change,
            "db/migrate/20240102_AddThing.rb": Self.change,
            "db/migrate/add_users.rb": Self.change,
            "db/migrate/notes.txt.bak": "",
        ])
        tree.add(RepoPath(bytes: Array("db/migrate/20240103000000_caf".utf8) + [0xE9] + Array(".rb".utf8)),
                 bytes: Array(Self.change.utf8))
        let found = try discover(.rails, tree, in: "db/migrate")
        #expect(found.paths == ["db/migrate/20240101000000_ok.rb"])
        #expect(found.ignoredPaths == [
            "db/migrate/.keep", "db/migrate/README.md", "db/migrate/notes.txt.bak", "db/migrate/notes.yml", "db/migrate/schema.rb",
        ])
        #expect(found.misnamedPaths == [
            "db/migrate/20240101_foo.rb.orig", "db/migrate/20240102_AddThing.rb", "db/migrate/20240103000000_caf\\xE9.rb",
            "db/migrate/2024_add users.rb", "db/migrate/add_users.rb",
        ])
        #expect(found.misnamed.first { $0.path.description.hasSuffix(".orig") }?.message.contains("`.orig` copy") == true)
        #expect(found.misnamed.first { $0.path.description.hasSuffix("add_users.rb") }?.message.contains("version prefix") == true)
        #expect(found.problems.isEmpty)
    }

    @Test func nonUTF8ContentIsAProblem() throws {
        var tree = MemoryTree()
        tree.add(RepoPath("m/1_latin.rb"), bytes: Array("# caf".utf8) + [0xE9] + Array("\nclass A; end".utf8))
        let found = try discover(.rails, tree, in: "m")
        #expect(found.migrations.isEmpty)
        #expect(found.problems.map(\.message) == ["is not valid UTF-8; save it as UTF-8 so its code can be read"])
    }
}
