import MigCore
public struct MultipleHeads: Rule {
    public static let description = RuleDescription(
        id: "multiple-heads",
        summary: "An Alembic or Django migration graph has more than one head after the change.",
        rationale: """
            Two branches each added a migration on the same parent: `alembic upgrade head` refuses to \
            choose and Django's `migrate` stops with conflicting migrations, so the deploy fails until \
            someone writes a merge migration.
            """,
        triggering: [
            RuleExample(format: .alembic, folder: "alembic/versions",
                        before: ["alembic/versions/a1_create_users.py": "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
                                 "alembic/versions/b2_add_email.py": "revision = 'b2'\ndown_revision = 'a1'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"],
                        change: ["alembic/versions/c3_add_name.py": "revision = 'c3'\ndown_revision = 'a1'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"],
                        expectedPath: "alembic/versions/c3_add_name.py"),
            RuleExample(format: .django, folder: "shop/migrations",
                        before: ["shop/migrations/0001_initial.py": "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n    operations = []\n",
                                 "shop/migrations/0002_order.py": "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = []\n"],
                        change: ["shop/migrations/0002_customer.py": "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [('shop', '0001_initial')]\n    operations = []\n"],
                        expectedPath: "shop/migrations/0002_customer.py"),
        ],
        nonTriggering: [
            RuleExample(format: .alembic, folder: "alembic/versions",
                        before: ["alembic/versions/a1_create_users.py": "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"],
                        change: ["alembic/versions/b2_add_email.py": "revision = 'b2'\ndown_revision = 'a1'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"]),
            RuleExample(format: .alembic, folder: "alembic/versions",
                        before: ["alembic/versions/a1_create_users.py": "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
                                 "alembic/versions/b2_add_email.py": "revision = 'b2'\ndown_revision = 'a1'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n",
                                 "alembic/versions/c3_add_name.py": "revision = 'c3'\ndown_revision = 'a1'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"],
                        change: ["alembic/versions/d4_merge.py": "revision = 'd4'\ndown_revision = ('b2', 'c3')\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n"]),
        ])

    public init() {}

    public func check(_ subject: RuleSubject) -> [RuleHit] {
        guard let heads = subject.heads, case .migration = subject.verdict else { return [] }
        let groups = Dictionary(grouping: heads) { head in head.split(separator: ":").dropLast().joined(separator: ":") }
        guard let (group, clashing) = groups.first(where: { $0.value.count > 1 }) else { return [] }
        let tool = subject.set.format == .django ? "python manage.py makemigrations --merge" : "alembic merge heads"
        let scope = group.isEmpty ? "" : " in app \(group)"
        return [RuleHit(message: "The migration graph\(scope) has \(clashing.count) heads after this change: \(clashing.joined(separator: ", ")).",
                        help: "Rebase this migration onto the newest head, or add a merge migration (\(tool)).")]
    }
}
