/// `migrations.AddIndex` in a Django migration, which builds the index with a plain
/// `CREATE INDEX`; or `AddIndexConcurrently` in an atomic migration, where it fails.
struct DjangoAddIndexNotConcurrently: ContentRule {
    static let description = ContentRuleDescription(
        id: "django-add-index-not-concurrently",
        summary: "`AddIndex` instead of `AddIndexConcurrently` blocks writes for the whole build.",
        rationale: """
            `migrations.AddIndex` runs `CREATE INDEX`, which holds a SHARE lock on the table until \
            the index is built: every write waits, for minutes on a big table. Use \
            `AddIndexConcurrently` from `django.contrib.postgres.operations` and set `atomic = \
            False` on the migration, since `CREATE INDEX CONCURRENTLY` cannot run in the \
            transaction Django opens otherwise (it fails at once). Models created in the same \
            migration, and tables created by a migration no environment has run yet, are empty \
            and left alone. PostgreSQL sets only.
            """,
        triggering: [
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        migrations.AddIndex(
                            model_name="order",
                            index=models.Index(fields=["created_at"], name="shop_order_created_idx"),
                        ),
                    ]
                """, path: "shop/migrations/0002_add_order_index.py", format: .django, expectedLine: 8),
            ContentExample("""
                from django.contrib.postgres.operations import AddIndexConcurrently
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        AddIndexConcurrently("order", models.Index(fields=["user"], name="shop_order_user_idx")),
                    ]
                """, path: "shop/migrations/0002_add_order_index.py", format: .django, expectedLine: 9),
        ],
        nonTriggering: [
            ContentExample("""
                from django.contrib.postgres.operations import AddIndexConcurrently
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    atomic = False
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        AddIndexConcurrently("order", models.Index(fields=["user"], name="shop_order_user_idx")),
                    ]
                """, path: "shop/migrations/0002_add_order_index.py", format: .django),
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    initial = True

                    operations = [
                        migrations.CreateModel(
                            name="Invoice",
                            fields=[("id", models.BigAutoField(primary_key=True)), ("number", models.TextField())],
                        ),
                        migrations.AddIndex(model_name="invoice", index=models.Index(fields=["number"], name="inv_number_idx")),
                        # migrations.AddIndex(model_name="order", index=models.Index(fields=["total"], name="order_total_idx")),
                        migrations.AddIndex(model_name="report", index=models.Index(fields=["kind"], name="report_kind_idx")),
                    ]
                """, path: "shop/migrations/0001_initial.py", format: .django, newTables: ["shop_report"]),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect == .postgres, case .python(let python) = text.code else { return [] }
        let app = text.path.parent.parent.fileName.description.lowercased()
        var created: Set<String> = []
        var hits: [RuleHit] = []
        for call in python.calls(in: 0..<python.tokens.count) {
            if call.isDjango("CreateModel"), let model = call.argument("name", position: 0)?.string {
                created.insert(model.lowercased())
            }
            if call.isDjango("AddIndexConcurrently") || call.callee == "operations.AddIndexConcurrently" {
                guard text.runsInTransaction else { continue }
                hits.append(text.hit(call, in: python,
                                     message: "`AddIndexConcurrently` in an atomic migration fails: PostgreSQL runs `CREATE INDEX CONCURRENTLY` only outside a transaction block.",
                                     help: "Set `atomic = False` on the migration class."))
                continue
            }
            guard call.isDjango("AddIndex"), let model = call.argument("model_name", position: 0)?.string?.lowercased() else { continue }
            if created.contains(model) || text.newTables.contains("\(app)_\(model)") { continue }
            hits.append(text.hit(call, in: python,
                                 message: "`AddIndex` on `\(model)` builds the index with a plain `CREATE INDEX`, blocking writes to the table until it is done.",
                                 help: "Use `AddIndexConcurrently` from `django.contrib.postgres.operations` and set `atomic = False`."))
        }
        return hits
    }
}
