import MigFormats

/// `migrations.AddField` of a field that is NOT NULL and has no default: PostgreSQL cannot
/// fill the existing rows, so the migration fails on a table with any.
struct DjangoAddRequiredField: ContentRule {
    static let description = ContentRuleDescription(
        id: "django-add-required-field",
        summary: "`AddField` of a NOT NULL field without a database default fails on a table that has rows.",
        rationale: """
            Django fields are NOT NULL unless `null=True`. `AddField` of such a field with neither \
            `default` (which Django uses to fill the existing rows, then drops) nor `db_default` \
            runs `ALTER TABLE … ADD COLUMN … NOT NULL`, which PostgreSQL refuses on a table that \
            has rows: the deploy stops. Add `null=True`, backfill, then make the field required in \
            a later migration; or give it a `db_default`, or a `default`. As in Django's schema \
            editor, a text field with `blank=True` is filled with `''` and `auto_now`/`auto_now_add` \
            with the current time; many-to-many, generated and auto fields add no such column. \
            Models created in the same migration, and \
            tables created by a migration no environment has run yet, have no rows and are left \
            alone. MySQL fills such columns with an implicit default, so MySQL sets are not \
            checked.
            """,
        triggering: [
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        migrations.AddField(
                            model_name="order",
                            name="currency",
                            field=models.CharField(max_length=3),
                        ),
                    ]
                """, path: "shop/migrations/0002_add_order_currency.py", format: .django, expectedLine: 8),
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        migrations.AddField("order", "paid", models.BooleanField(null=False)),
                    ]
                """, path: "shop/migrations/0002_add_order_paid.py", format: .django, expectedLine: 8),
        ],
        nonTriggering: [
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]

                    operations = [
                        migrations.AddField("order", "currency", models.CharField(max_length=3, default="EUR")),
                        migrations.AddField("order", "note", models.TextField(null=True, blank=True)),
                        migrations.AddField("order", "paid", models.BooleanField(db_default=False)),
                        migrations.AddField("order", "tags", models.ManyToManyField(to="shop.tag")),
                        migrations.AddField("order", "code", models.SlugField(blank=True)),
                        migrations.AddField("order", "placed_at", models.DateTimeField(auto_now_add=True)),
                    ]
                """, path: "shop/migrations/0002_order_fields.py", format: .django),
            ContentExample("""
                from django.db import migrations, models


                class Migration(migrations.Migration):
                    operations = [
                        migrations.CreateModel(name="Invoice", fields=[("id", models.BigAutoField(primary_key=True))]),
                        migrations.AddField(model_name="invoice", name="number", field=models.TextField()),
                        migrations.AddField(model_name="report", name="kind", field=models.TextField()),
                        # migrations.AddField(model_name="order", name="code", field=models.TextField()),
                    ]
                """, path: "shop/migrations/0001_initial.py", format: .django, newTables: ["shop_report"]),
        ])

    /// Fields that add no NOT NULL column of their own, or one the database fills itself.
    private static let columnless: Set<String> = [
        "ManyToManyField", "GeneratedField", "AutoField", "BigAutoField", "SmallAutoField",
    ]
    /// Fields Django fills with `''` (or `b''`) when `blank=True`, as its schema editor does for
    /// fields that allow empty strings.
    private static let emptyStringFields: Set<String> = [
        "CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField", "FileField", "ImageField",
        "BinaryField",
    ]

    /// Whether Django's schema editor has a value for the rows already there: a default, an
    /// empty string for a blank text field, the current time for `auto_now`/`auto_now_add`.
    private static func fillsExistingRows(_ field: PythonCall) -> Bool {
        field.isSet("null") || field.keywords.contains { $0.name == "default" || $0.name == "db_default" }
            || (field.isSet("blank") && emptyStringFields.contains(String(field.method)))
            || field.isSet("auto_now") || field.isSet("auto_now_add")
    }

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.dialect != .mysql, case .python(let python) = text.code else { return [] }
        let app = text.path.parent.parent.fileName.description.lowercased()
        var created: Set<String> = []
        var hits: [RuleHit] = []
        for call in python.calls(in: 0..<python.tokens.count) {
            if call.isDjango("CreateModel"), let model = call.argument("name", position: 0)?.string {
                created.insert(model.lowercased())
            }
            guard call.isDjango("AddField"), case .call(let field)? = call.argument("field", position: 2),
                  !DjangoAddRequiredField.columnless.contains(String(field.method)),
                  !DjangoAddRequiredField.fillsExistingRows(field),
                  let model = call.argument("model_name", position: 0)?.string?.lowercased(),
                  !created.contains(model), !text.newTables.contains("\(app)_\(model)") else { continue }
            let name = call.argument("name", position: 1)?.string ?? "the field"
            hits.append(text.hit(call, in: python,
                                 message: "`AddField` adds `\(model).\(name)` as NOT NULL without a default; the rows already in the table make the migration fail.",
                                 help: "Add it with `null=True` and backfill before making it required, or give it a `db_default` or `default`."))
        }
        return hits
    }
}
