/// `migrations.RunPython` without `reverse_code`: Django refuses to migrate backwards past it.
struct DjangoRunPythonWithoutReverseCode: ContentRule {
    static let description = ContentRuleDescription(
        id: "django-run-python-without-reverse-code",
        summary: "`RunPython` without `reverse_code` makes the migration irreversible.",
        rationale: """
            Django reverses schema operations itself, but not Python code: a `RunPython` without \
            `reverse_code` (or with `reverse_code=None`) raises `IrreversibleError` when anyone \
            migrates back past it, so a bad release cannot be rolled back with `migrate \
            <app> <previous>`. Give it a function that undoes the change, or \
            `migrations.RunPython.noop` when there is nothing to undo, such as a backfill of a \
            column the rollback drops anyway. (`RunSQL` without `reverse_sql` is reported as \
            `missing-down-migration`.)
            """,
        triggering: [
            ContentExample("""
                from django.db import migrations


                def backfill_currency(apps, schema_editor):
                    apps.get_model("shop", "Order").objects.filter(currency="").update(currency="EUR")


                class Migration(migrations.Migration):
                    dependencies = [("shop", "0002_add_order_currency")]

                    operations = [
                        migrations.RunPython(backfill_currency),
                    ]
                """, path: "shop/migrations/0003_backfill_currency.py", format: .django, expectedLine: 12),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunPython(code=forwards, reverse_code=None, atomic=True),
                    ]
                """, path: "shop/migrations/0003_backfill_currency.py", format: .django, expectedLine: 6),
        ],
        nonTriggering: [
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        migrations.RunPython(backfill_currency, migrations.RunPython.noop),
                        migrations.RunPython(forwards, reverse_code=backwards),
                    ]
                """, path: "shop/migrations/0003_backfill_currency.py", format: .django),
            ContentExample("""
                from django.db import migrations


                class Migration(migrations.Migration):
                    operations = [
                        # migrations.RunPython(backfill_currency),
                        migrations.RunSQL("UPDATE shop_order SET currency = 'EUR'", reverse_sql=migrations.RunSQL.noop),
                    ]
                """, path: "shop/migrations/0003_backfill_currency.py", format: .django),
        ])

    func check(_ text: MigrationText) -> [RuleHit] {
        guard text.format == .django, case .python(let python) = text.code else { return [] }
        var hits: [RuleHit] = []
        for call in python.calls(in: 0..<python.tokens.count) where call.isDjango("RunPython") {
            let reverse = call.argument("reverse_code", position: 1)
            guard reverse == nil || reverse == .noneLiteral else { continue }
            hits.append(text.hit(call, in: python,
                                 message: "`RunPython` has no `reverse_code`: migrating back past this migration raises `IrreversibleError`.",
                                 help: "Pass `reverse_code=` a function that undoes it, or `migrations.RunPython.noop` when nothing needs undoing."))
        }
        return hits
    }
}
