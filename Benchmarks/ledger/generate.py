#!/usr/bin/env python3
"""Generates the ledger benchmark repository (issue 3) with one `git fast-import` stream.

A Rails-style application: `db/migrate/<14-digit timestamp>_<snake_name>.rb` migrations written
in feature branches and merged with merge commits, many commits touching `app/`, `spec/` and
`config/`, `db/schema.rb` following every migration, and deploy markers for two environments:

  staging     lightweight and annotated tags `deploy/staging/<n>` on the main line
  production  tags `v<major>.<minor>.<patch>` (mostly annotated) promoting commits staging ran

plus the irregularities a real history has, recorded in `benchmark-manifest.json` inside the
repository folder:

  drift        a migration both environments ran is edited later on main
  staged-edit  a migration edited after staging ran it but before production did, so the two
               environments' first-deployed bytes differ (not drift for production)
  deletion     a migration both environments ran is deleted later on main
  rollback     production hotfix tag on a maintenance branch off an older release, deployed
               after newer releases (it lacks migrations production already ran); its own
               migration is cherry-picked onto main afterwards
  redeploy     two staging tags on one commit with the same date (ties broken by natural
               ref-name order: deploy/staging/99 before deploy/staging/100)

The output is a bare repository whose HEAD is refs/heads/main. Python standard library only;
no git process per commit. Deterministic for a given --seed.
"""

import argparse
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zlib

POLICY = """version: 1
migrations:
  - path: db/migrate
    format: rails
environments:
  staging:
    deploys: ["refs/tags/deploy/staging/*"]
  production:
    deploys: ["refs/tags/v*"]
    after: [staging]
"""

DEVELOPERS = [
    ("Alice Moreau", "alice@acme.example"), ("Bilal Haddad", "bilal@acme.example"),
    ("Chen Wei", "chen.wei@acme.example"), ("Dana Kowalski", "dana@acme.example"),
    ("Emeka Obi", "emeka@acme.example"), ("Farah Siddiqui", "farah@acme.example"),
    ("Gustavo Lima", "gustavo@acme.example"), ("Hana Sato", "hana@acme.example"),
    ("Ivan Petrov", "ivan@acme.example"), ("Julia Schmidt", "julia@acme.example"),
    ("Kwame Mensah", "kwame@acme.example"), ("Lena Nilsson", "lena@acme.example"),
    ("Mateo Rossi", "mateo@acme.example"), ("Nadia Benali", "nadia@acme.example"),
    ("Oscar Jansen", "oscar@acme.example"), ("Priya Raman", "priya@acme.example"),
    ("Quentin Dubois", "quentin@acme.example"), ("Rosa Martinez", "rosa@acme.example"),
    ("Sven Larsen", "sven@acme.example"), ("Tomoko Ito", "tomoko@acme.example"),
    ("Umar Farouk", "umar@acme.example"), ("Vera Novak", "vera@acme.example"),
    ("Wen Li", "wen.li@acme.example"), ("Xavier Laurent", "xavier@acme.example"),
    ("Yara Haddad", "yara@acme.example"), ("Zoe Clarke", "zoe@acme.example"),
]
TIMEZONES = ["+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900"]
BOT = ("Deploy Bot", "deploy-bot@acme.example")
MERGER = ("GitHub", "noreply@github.com")

TABLES = """users accounts organizations memberships invitations projects tasks comments
attachments notifications subscriptions plans invoices invoice_items payments refunds
coupons discounts orders order_items products variants categories tags taggings carts
cart_items addresses shipments shipment_events warehouses stock_levels suppliers
purchase_orders reviews ratings wishlists favorites messages conversations participants
audit_logs api_keys webhooks webhook_deliveries sessions devices push_tokens feature_flags
experiments experiment_assignments reports dashboards widgets exports imports jobs
job_runs schedules teams roles permissions role_assignments departments employees
timesheets leave_requests expenses expense_reports budgets forecasts contracts documents
signatures templates email_campaigns email_events segments contacts leads deals pipelines
stages activities notes reminders calendars events bookings rooms venues tickets
ticket_types checkins surveys survey_responses questions answers badges achievements
points_ledgers referrals affiliates payouts bank_accounts tax_rates currencies
exchange_rates regions countries locales translations""".split()

COLUMNS = [
    ("status", "string"), ("state", "string"), ("name", "string"), ("title", "string"),
    ("description", "text"), ("notes", "text"), ("email", "string"), ("phone", "string"),
    ("position", "integer"), ("priority", "integer"), ("quantity", "integer"),
    ("amount_cents", "bigint"), ("total_cents", "bigint"), ("currency", "string"),
    ("archived_at", "datetime"), ("deleted_at", "datetime"), ("published_at", "datetime"),
    ("expires_at", "datetime"), ("last_seen_at", "datetime"), ("confirmed_at", "datetime"),
    ("locked_at", "datetime"), ("starts_on", "date"), ("ends_on", "date"),
    ("metadata", "jsonb"), ("settings", "jsonb"), ("external_id", "string"),
    ("slug", "string"), ("token_digest", "string"), ("locale", "string"),
    ("time_zone", "string"), ("enabled", "boolean"), ("visible", "boolean"),
    ("featured", "boolean"), ("verified", "boolean"), ("score", "decimal"),
    ("weight_grams", "integer"), ("sku", "string"), ("reference", "string"),
    ("source", "string"), ("kind", "string"), ("category", "string"), ("color", "string"),
    ("version", "integer"), ("lock_version", "integer"), ("retries", "integer"),
    ("error_message", "text"), ("ip_address", "inet"), ("user_agent", "string"),
    ("url", "string"), ("checksum", "string"), ("byte_size", "bigint"),
    ("content_type", "string"), ("latitude", "decimal"), ("longitude", "decimal"),
    ("sent_at", "datetime"), ("read_at", "datetime"), ("processed_at", "datetime"),
    ("failed_at", "datetime"), ("completed_at", "datetime"), ("canceled_at", "datetime"),
    ("due_on", "date"), ("rank", "integer"), ("budget_cents", "bigint"),
    ("discount_percent", "decimal"), ("vat_number", "string"), ("iban", "string"),
    ("nickname", "string"), ("avatar_url", "string"), ("bio", "text"),
]

APP_SUBJECTS = ["Fix", "Refactor", "Improve", "Add", "Update", "Tidy", "Speed up", "Handle",
                "Extract", "Rename", "Document", "Test", "Simplify", "Cache", "Validate"]
APP_OBJECTS = ["pagination", "N+1 query", "error message", "edge case", "empty state", "flaky spec",
               "policy check", "serializer", "form validation", "background job", "CSV export",
               "webhook retries", "timezone handling", "rounding", "search filter", "API response",
               "mailer layout", "i18n keys", "admin screen", "rate limiting", "audit trail"]


def camel(snake):
    return "".join(part.capitalize() for part in snake.split("_"))


def singular(table):
    if table.endswith("ies"):
        return table[:-3] + "y"
    if table.endswith(("sses", "xes", "ches", "shes")):
        return table[:-2]
    if table.endswith("s"):
        return table[:-1]
    return table


def stamp(seconds):
    return time.strftime("%Y%m%d%H%M%S", time.gmtime(seconds))


class Stream:
    """Writes a fast-import stream and keeps count of what it wrote."""

    def __init__(self, sink):
        self.sink = sink
        self.next_mark = 1
        self.commits = 0

    def mark(self):
        mark = self.next_mark
        self.next_mark += 1
        return mark

    def data(self, payload):
        self.sink.write(b"data %d\n" % len(payload))
        self.sink.write(payload)
        self.sink.write(b"\n")

    def blob(self, text):
        mark = self.mark()
        self.sink.write(b"blob\nmark :%d\n" % mark)
        self.data(text.encode())
        return mark

    def commit(self, ref, author, when, tz, message, parents, changes, committer=None):
        """changes: list of (path, blob mark) or (path, None) for a deletion."""
        mark = self.mark()
        committer = committer or author
        out = [b"commit %s\nmark :%d\n" % (ref.encode(), mark),
               b"author %s <%s> %d %s\n" % (author[0].encode(), author[1].encode(), when, tz.encode()),
               b"committer %s <%s> %d %s\n" % (committer[0].encode(), committer[1].encode(), when, tz.encode())]
        self.sink.write(b"".join(out))
        self.data(message.encode())
        if parents:
            self.sink.write(b"from :%d\n" % parents[0])
            for parent in parents[1:]:
                self.sink.write(b"merge :%d\n" % parent)
        for path, blob in changes:
            if blob is None:
                self.sink.write(b"D %s\n" % path.encode())
            else:
                self.sink.write(b"M 100644 :%d %s\n" % (blob, path.encode()))
        self.sink.write(b"\n")
        self.commits += 1
        return mark

    def lightweight_tag(self, name, commit):
        self.sink.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), commit))

    def annotated_tag(self, name, commit, tagger, when, message):
        self.sink.write(b"tag %s\nfrom :%d\ntagger %s <%s> %d +0000\n"
                        % (name.encode(), commit, tagger[0].encode(), tagger[1].encode(), when))
        self.data(message.encode())


class Generator:
    def __init__(self, args, stream):
        self.args = args
        self.rng = random.Random(args.seed)
        self.s = stream
        self.clock = 1483340400  # 2017-01-02 07:00 UTC
        self.app_files = {}        # path -> revision number
        self.app_marks = {}        # path -> current blob mark on main
        self.tables = []           # tables created so far (for schema.rb and migrations)
        self.table_columns = {}    # table -> set of columns
        self.unused_tables = list(TABLES)
        self.rng.shuffle(self.unused_tables)
        self.migration_names = set()
        self.current_migration_text = {}
        self.migration_stamps = set()
        self.migrations = {}       # path -> dict(mark, created_commit_index, ...)
        self.migration_order = []  # paths in creation order on main
        self.main = None           # mark of main's head
        self.main_commit_time = {} # mark -> commit time
        self.migrations_written = 0
        self.rails = "5.1"
        # markers
        self.staging = []          # dicts: name, commit, date, annotated
        self.production = []
        self.major, self.minor, self.patch = 1, 0, 0
        self.used_versions = set()
        self.last_date = {"staging": 0, "production": 0}
        self.manifest = {"irregularities": {}}
        self.production_hold = 0

    # ---- time and people -------------------------------------------------------------------

    def tick(self, mean_minutes=34):
        self.clock += max(30, int(self.rng.expovariate(1 / (mean_minutes * 60))))
        return self.clock

    def developer(self):
        return self.rng.choice(DEVELOPERS), self.rng.choice(TIMEZONES)

    # ---- file contents ---------------------------------------------------------------------

    def app_file_text(self, path, revision):
        rng = random.Random(zlib.crc32(f"{path}:{revision}".encode()))
        base = os.path.basename(path).split(".")[0]
        klass = camel(base)
        if path.endswith(".erb"):
            rows = "\n".join(f'    <td><%= {singular(base)}.{rng.choice(COLUMNS)[0]} %></td>' for _ in range(rng.randint(2, 6)))
            return (f'<h1><%= t(".title") %></h1>\n<%# revision {revision} %>\n<table class="table">\n'
                    f'  <% @records.each do |{singular(base)}| %>\n  <tr>\n{rows}\n  </tr>\n  <% end %>\n</table>\n'
                    f'<%= paginate @records %>\n')
        if path.startswith("spec/"):
            examples = "\n\n".join(
                f'  it "{rng.choice(APP_SUBJECTS).lower()}s {rng.choice(APP_OBJECTS)}" do\n'
                f'    record = create(:{singular(base.replace("_spec", ""))})\n'
                f'    expect(record.{rng.choice(COLUMNS)[0]}).to be_present\n  end'
                for _ in range(rng.randint(2, 5)))
            return (f'require "rails_helper"\n\n# revision {revision}\n'
                    f'RSpec.describe {camel(base.replace("_spec", ""))} do\n{examples}\nend\n')
        methods = "\n\n".join(
            f"  def {rng.choice(APP_SUBJECTS).lower().replace(' ', '_')}_{rng.choice(COLUMNS)[0]}\n"
            f"    @{rng.choice(COLUMNS)[0]} ||= {rng.choice(['params', 'record', 'scope', 'current_user'])}"
            f".{rng.choice(COLUMNS)[0]}\n  end"
            for _ in range(rng.randint(2, 7)))
        parent = ("ApplicationRecord" if "/models/" in path else
                  "ApplicationController" if "/controllers/" in path else
                  "ApplicationJob" if "/jobs/" in path else "ApplicationService")
        return f"# frozen_string_literal: true\n\n# revision {revision}\nclass {klass} < {parent}\n{methods}\nend\n"

    def touch_app_file(self, path=None):
        if path is None:
            path = self.rng.choice(self.app_paths)
        revision = self.app_files.get(path, 0) + 1
        self.app_files[path] = revision
        mark = self.s.blob(self.app_file_text(path, revision))
        return path, mark

    def new_table_files(self, table):
        model = singular(table)
        paths = [f"app/models/{model}.rb", f"app/controllers/{table}_controller.rb",
                 f"app/views/{table}/index.html.erb", f"spec/models/{model}_spec.rb"]
        changes = [self.touch_app_file(p) for p in paths]
        self.app_paths.extend(p for p in paths if p not in self.app_paths_set)
        self.app_paths_set.update(paths)
        return changes

    def schema_text(self, version):
        lines = [f'ActiveRecord::Schema[{self.rails}].define(version: {version[:4]}_{version[4:6]}_{version[6:8]}_{version[8:]}) do',
                 '  enable_extension "plpgsql"', '']
        for table in self.tables:
            lines.append(f'  create_table "{table}", force: :cascade do |t|')
            for column in sorted(self.table_columns[table])[:4]:
                lines.append(f'    t.{dict(COLUMNS).get(column, "string")} "{column}"')
            lines.append('    t.datetime "created_at", null: false')
            lines.append('    t.datetime "updated_at", null: false')
            lines.append('  end\n')
        lines.append('end\n')
        return "\n".join(lines)

    def migration(self, when):
        """A new migration: (path, text). Mutates the schema model."""
        rng = self.rng
        for _ in range(1000):
            if self.unused_tables and (len(self.tables) < 8 or rng.random() < 0.06):
                table = self.unused_tables[0]
                kind = "create"
            else:
                table = rng.choice(self.tables)
                kind = rng.choices(["add", "index", "remove", "null", "backfill", "rename", "reference"],
                                   [40, 22, 8, 8, 10, 4, 8])[0]
            column, ctype = rng.choice(COLUMNS)
            columns = self.table_columns.get(table, set())
            if kind == "create":
                name = f"create_{table}"
            elif kind == "add":
                if column in columns:
                    continue
                name = f"add_{column}_to_{table}"
            elif kind == "index":
                if not columns:
                    continue
                column = rng.choice(sorted(columns))
                name = f"add_index_on_{column}_to_{table}"
            elif kind == "remove":
                if not columns:
                    continue
                column = rng.choice(sorted(columns))
                name = f"remove_{column}_from_{table}"
            elif kind == "null":
                if not columns:
                    continue
                column = rng.choice(sorted(columns))
                name = f"change_{column}_null_on_{table}"
            elif kind == "backfill":
                if not columns:
                    continue
                column = rng.choice(sorted(columns))
                name = f"backfill_{column}_on_{table}"
            elif kind == "rename":
                if not columns or column in columns:
                    continue
                old = rng.choice(sorted(columns))
                name = f"rename_{old}_to_{column}_on_{table}"
            else:
                other = rng.choice(self.tables)
                if other == table or f"{singular(other)}_id" in columns:
                    continue
                column = f"{singular(other)}_id"
                name = f"add_{singular(other)}_reference_to_{table}"
            if name in self.migration_names:
                continue
            break
        else:
            raise RuntimeError("ran out of migration names")
        self.migration_names.add(name)
        ts = when - rng.randint(600, 3 * 86400)
        while stamp(ts) in self.migration_stamps:
            ts += 1
        version = stamp(ts)
        self.migration_stamps.add(version)
        klass = camel(name)
        head = f"class {klass} < ActiveRecord::Migration[{self.rails}]\n"
        if kind == "create":
            self.unused_tables.pop(0)
            self.tables.append(table)
            cols = rng.sample(COLUMNS, rng.randint(2, 6))
            self.table_columns[table] = {c for c, _ in cols}
            body_cols = "\n".join(f"      t.{t} :{c}" + (", null: false" if rng.random() < 0.3 else "") for c, t in cols)
            refs = ""
            if len(self.tables) > 3 and rng.random() < 0.6:
                other = singular(rng.choice(self.tables[:-1]))
                refs = f"      t.references :{other}, null: false, foreign_key: true\n"
            body = (f"  def change\n    create_table :{table} do |t|\n{refs}{body_cols}\n\n"
                    f"      t.timestamps\n    end\n  end\n")
        elif kind == "add":
            columns.add(column)
            default = {"boolean": ", default: false, null: false", "integer": ", default: 0"}.get(ctype, "")
            body = f"  def change\n    add_column :{table}, :{column}, :{ctype}{default}\n  end\n"
        elif kind == "index":
            unique = ", unique: true" if rng.random() < 0.2 else ""
            head += "  disable_ddl_transaction!\n\n"
            body = (f"  def change\n    add_index :{table}, :{column}{unique}, algorithm: :concurrently\n  end\n")
        elif kind == "remove":
            columns.discard(column)
            body = (f"  def up\n    safety_assured {{ remove_column :{table}, :{column} }}\n  end\n\n"
                    f"  def down\n    add_column :{table}, :{column}, :{dict(COLUMNS).get(column, 'string')}\n  end\n")
        elif kind == "null":
            body = (f"  def change\n    change_column_null :{table}, :{column}, false\n  end\n")
        elif kind == "backfill":
            value = rng.choice(["0", "false", '""', "Time.current"])
            head += "  disable_ddl_transaction!\n\n"
            body = (f"  class {camel(singular(table))} < ApplicationRecord\n    self.table_name = \"{table}\"\n  end\n\n"
                    f"  def up\n    {camel(singular(table))}.unscoped.in_batches(of: 5_000) do |batch|\n"
                    f"      batch.where({column}: nil).update_all({column}: {value})\n"
                    f"      sleep(0.01)\n    end\n  end\n\n  def down\n    # data migration: nothing to undo\n  end\n")
        elif kind == "rename":
            old = name.split("rename_")[1].split(f"_to_{column}")[0]
            columns.discard(old)
            columns.add(column)
            body = f"  def change\n    rename_column :{table}, :{old}, :{column}\n  end\n"
        else:
            columns.add(column)
            body = (f"  def change\n    add_reference :{table}, :{column[:-3]}, index: {{ algorithm: :concurrently }}\n  end\n")
            head += "  disable_ddl_transaction!\n\n"
        text = f"# frozen_string_literal: true\n\n{head}{body}end\n"
        path = f"db/migrate/{version}_{name}.rb"
        self.current_migration_text[path] = text
        return path, text, version, table

    # ---- history ---------------------------------------------------------------------------

    def initial_commit(self):
        self.app_paths = []
        self.app_paths_set = set()
        changes = []
        base = {
            "README.md": "# Acme Platform\n\nThe Rails application behind acme.example.\n\n## Setup\n\n    bin/setup\n    bin/rails db:prepare\n",
            "Gemfile": 'source "https://rubygems.org"\n\nruby "3.2.2"\n\ngem "rails", "~> 5.1"\ngem "pg"\ngem "puma"\ngem "sidekiq"\ngem "strong_migrations"\n',
            "migledger.yml": POLICY,
            "db/migrate/.keep": "",
            "db/seeds.rb": "# Seeds for development\nUser.find_or_create_by!(email: \"admin@acme.example\")\n",
            "config/application.rb": "require_relative \"boot\"\nrequire \"rails/all\"\n\nmodule Acme\n  class Application < Rails::Application\n    config.load_defaults 5.1\n  end\nend\n",
            "config/database.yml": "default: &default\n  adapter: postgresql\n  encoding: unicode\n\ndevelopment:\n  <<: *default\n  database: acme_development\n",
            ".gitignore": "/log/*\n/tmp/*\n/node_modules\n/.bundle\n",
        }
        for path, text in base.items():
            changes.append((path, self.s.blob(text)))
        for name in ["application_record", "concerns/searchable", "concerns/auditable"]:
            changes.append(self.touch_app_file(f"app/models/{name}.rb"))
        generic = []
        for folder in ["app/services", "app/jobs", "app/controllers", "lib/tasks", "app/helpers",
                       "app/mailers", "app/policies", "app/serializers", "spec/requests", "spec/services"]:
            for i in range(30):
                generic.append(f"{folder}/{self.rng.choice(APP_OBJECTS).replace(' ', '_').replace('+', 'plus').lower()}_{i}.rb")
        for path in generic:
            changes.append(self.touch_app_file(path))
        self.app_paths.extend(generic)
        self.app_paths_set.update(generic)
        version = stamp(self.clock)
        changes.append(("db/schema.rb", self.s.blob(self.schema_text(version))))
        author, tz = self.developer()
        self.main = self.s.commit("refs/heads/main", author, self.clock, tz, "Initial commit\n", [], changes)
        self.main_commit_time[self.main] = self.clock

    def pick_migration_probability(self):
        remaining = self.args.migrations - self.migrations_written
        left = max(1, self.args.commits - self.s.commits)
        return min(1.0, remaining * 2.3 / left)

    def feature(self):
        """A pull request: 1–5 commits on a topic branch, then a merge commit on main."""
        rng = self.rng
        author, tz = self.developer()
        topic_changes = {}
        head = self.main
        ncommits = rng.choices([1, 2, 3, 4, 5], [30, 28, 20, 12, 10])[0]
        wants_migration = rng.random() < self.pick_migration_probability()
        migration_at = rng.randrange(ncommits) if wants_migration else -1
        subject = f"{rng.choice(APP_SUBJECTS)} {rng.choice(APP_OBJECTS)}"
        new_migrations = []
        version = None
        for i in range(ncommits):
            when = self.tick()
            changes = []
            message = subject if i == 0 else rng.choice(["Address review comments", "Add specs", "Fix rubocop offenses",
                                                         f"{rng.choice(APP_SUBJECTS)} {rng.choice(APP_OBJECTS)}", "WIP"])
            if i == migration_at:
                count = 2 if rng.random() < 0.12 else 1
                for _ in range(count):
                    if self.migrations_written >= self.args.migrations:
                        break
                    path, text, version, table = self.migration(when)
                    mark = self.s.blob(text)
                    changes.append((path, mark))
                    new_migrations.append((path, mark))
                    self.migrations_written += 1
                    if path.split("_", 1)[1].startswith("create_"):
                        changes.extend(self.new_table_files(table))
                    message = f"{camel(path.split('_', 1)[1][:-3]).replace('_', ' ')}: {subject.lower()}"
                if version:
                    changes.append(("db/schema.rb", self.s.blob(self.schema_text(version))))
            for _ in range(rng.randint(1, 3)):
                changes.append(self.touch_app_file())
            head = self.s.commit("refs/heads/topic", author, when, tz, message + "\n", [head], changes)
            topic_changes.update(dict(changes))
            # someone pushes straight to main meanwhile
            if rng.random() < 0.08:
                self.direct_commit(avoid=topic_changes)
        when = self.tick(8)
        number = self.s.commits // 3 + 1000
        self.main = self.s.commit("refs/heads/main", MERGER, when, "+0000",
                                  f"Merge pull request #{number} from acme/{subject.lower().replace(' ', '-')}\n\n{subject}\n",
                                  [self.main, head], sorted(topic_changes.items()), committer=MERGER)
        self.main_commit_time[self.main] = when
        for path, mark in new_migrations:
            self.migrations[path] = {"mark": mark, "merged": self.main}
            self.migration_order.append(path)
        for path, mark in topic_changes.items():
            if not path.startswith("db/migrate/"):
                self.app_marks[path] = mark

    def direct_commit(self, avoid=()):
        rng = self.rng
        author, tz = self.developer()
        when = self.tick()
        choices = [p for p in rng.sample(self.app_paths, 6) if p not in avoid][:rng.randint(1, 2)]
        changes = [self.touch_app_file(p) for p in choices]
        message = rng.choice(["Bump gems", "Fix typo", "Update copy", "Hotfix: " + rng.choice(APP_OBJECTS),
                              "Revert flaky change", "Tweak config"])
        self.main = self.s.commit("refs/heads/main", author, when, tz, message + "\n", [self.main], changes)
        self.main_commit_time[self.main] = when
        for path, mark in changes:
            self.app_marks[path] = mark

    def main_change(self, message, changes):
        author, tz = self.developer()
        when = self.tick()
        self.main = self.s.commit("refs/heads/main", author, when, tz, message + "\n", [self.main], changes)
        self.main_commit_time[self.main] = when
        return self.main

    # ---- markers ---------------------------------------------------------------------------

    def tag(self, env, name, commit, annotated, date, message):
        if annotated:
            self.s.annotated_tag(name, commit, BOT, date, message)
        else:
            self.s.lightweight_tag(name, commit)
        record = {"name": name, "commit": commit, "date": date, "annotated": annotated}
        (self.staging if env == "staging" else self.production).append(record)
        self.last_date[env] = max(self.last_date[env], date)
        return record

    def deploy_staging(self, redeploy=False):
        number = len(self.staging) + 1
        commit = self.main
        commit_date = self.main_commit_time[commit]
        annotated = self.rng.random() < 0.35 or commit_date <= self.last_date["staging"]
        if redeploy or number == 99:
            annotated = False
        date = self.clock + self.rng.randint(120, 1800) if annotated else commit_date
        if annotated:
            self.clock = date
        return self.tag("staging", f"deploy/staging/{number}", commit, annotated, date,
                        f"Deploy {self.main_commit_time[commit]} to staging (pipeline #{40000 + number})\n")

    def next_version(self):
        released = len(self.production)
        if released and released % 45 == 0:
            self.major, self.minor, self.patch = self.major + 1, 0, 0
        elif released and self.rng.random() < 0.2:
            self.patch += 1
        elif released:
            self.minor, self.patch = self.minor + 1, 0
        version = f"v{self.major}.{self.minor}.{self.patch}"
        self.used_versions.add(version)
        return version

    def deploy_production(self):
        # promote what staging ran one deploy ago
        finished = len(self.staging) >= self.args.staging
        source = self.staging[-2] if len(self.staging) >= 2 and not finished else self.staging[-1]
        if source["commit"] < self.production_hold:
            source = self.staging[-1]
            if source["commit"] < self.production_hold:
                return None  # release held until staging has run the amended migration
        commit = source["commit"]
        if any(p["commit"] == commit for p in self.production):
            return None
        commit_date = self.main_commit_time[commit]
        annotated = self.rng.random() < 0.75 or commit_date <= self.last_date["production"]
        date = self.clock + self.rng.randint(300, 3600)
        if annotated:
            self.clock = date
        else:
            date = commit_date
        version = self.next_version()
        return self.tag("production", version, commit, annotated, date, f"Release {version}\n")

    # ---- irregularities --------------------------------------------------------------------

    def deployed_to_both(self, path):
        merged = self.migrations[path]["merged"]
        return (any(self.reaches(p["commit"], merged) for p in self.production))

    def reaches(self, commit, ancestor):
        # main marks only grow along the main line, and every main commit descends from all
        # earlier main commits, so mark order is ancestry on main
        return commit >= ancestor

    def drift(self):
        candidates = [p for p in self.migration_order[len(self.migration_order) // 3: len(self.migration_order) // 2]
                      if self.deployed_to_both(p) and "create_" not in p]
        path = candidates[len(candidates) // 2]
        old = self.migrations[path]
        text = self.current_migration_text[path].replace("  def ", "  # Reviewed: see incident 4711\n  def ", 1)
        mark = self.s.blob(text)
        commit = self.main_change(f"Fix comment in {os.path.basename(path)}", [(path, mark)])
        self.manifest["irregularities"]["drift"] = {"path": path, "edited_in": commit, "old_mark": old["mark"]}

    def staged_edit(self):
        """Edits the newest migration staging ran but production has not run yet."""
        staged = self.staging[-1]["commit"]
        prod = self.production[-1]["commit"]
        candidates = [p for p in self.migration_order if prod < self.migrations[p]["merged"] <= staged]
        if not candidates:
            return False
        path = candidates[-1]
        text = self.current_migration_text[path].replace("end\n", "end\n# Ran on staging; production pending\n", 1)
        mark = self.s.blob(text)
        commit = self.main_change(f"Amend {os.path.basename(path)} before release", [(path, mark)])
        self.manifest["irregularities"]["staged_edit"] = {"path": path, "edited_in": commit}
        self.production_hold = commit
        return True

    def deletion(self):
        candidates = [p for p in self.migration_order[len(self.migration_order) // 2: 2 * len(self.migration_order) // 3]
                      if self.deployed_to_both(p)]
        path = candidates[len(candidates) // 3]
        commit = self.main_change(f"Remove obsolete migration {os.path.basename(path)}", [(path, None)])
        self.manifest["irregularities"]["deletion"] = {"path": path, "deleted_in": commit}
        self.deleted.add(path)

    def hotfix(self):
        """A maintenance branch off an older release, a hotfix with a migration, a tag deployed
        to production now, and the migration cherry-picked onto main."""
        release = self.production[-6]
        base = release["commit"]
        major, minor, patch = (int(x) for x in release["name"][1:].split("."))
        version = f"v{major}.{minor}.{patch + 1}"
        while version in self.used_versions:
            patch += 1
            version = f"v{major}.{minor}.{patch + 1}"
        self.used_versions.add(version)
        author, tz = self.developer()
        when = self.tick()
        table = self.rng.choice(self.tables[:len(self.tables) // 2])
        column = self.rng.choice(sorted(self.table_columns[table]) or ["created_at"])
        name = f"add_missing_index_on_{column}_to_{table}_hotfix"
        ts = when - 1800
        while stamp(ts) in self.migration_stamps:
            ts += 1
        self.migration_stamps.add(stamp(ts))
        path = f"db/migrate/{stamp(ts)}_{name}.rb"
        text = (f"# frozen_string_literal: true\n\n# Hotfix for incident 5120: {table} lookups time out.\n"
                f"class {camel(name)} < ActiveRecord::Migration[{self.rails}]\n  disable_ddl_transaction!\n\n"
                f"  def change\n    add_index :{table}, :{column}, algorithm: :concurrently, if_not_exists: true\n"
                f"  end\nend\n")
        self.current_migration_text[path] = text
        mark = self.s.blob(text)
        fix = self.touch_app_file(self.rng.choice(self.app_paths))
        branch = f"refs/heads/maint/{major}.{minor}"
        hotfix_commit = self.s.commit(branch, author, when, tz,
                                      f"Hotfix: add missing index for {os.path.basename(path)}\n",
                                      [base], [(path, mark), fix])
        self.main_commit_time[hotfix_commit] = when
        date = self.clock + 900
        self.clock = date
        self.tag("production", version, hotfix_commit, True, date, f"Hotfix release {version}\n")
        self.migrations_written += 1
        # cherry-pick the migration onto main
        cherry = self.main_change(f"Hotfix: add missing index (cherry picked from {version})", [(path, mark)])
        self.migrations[path] = {"mark": mark, "merged": cherry}
        self.migration_order.append(path)
        self.manifest["irregularities"]["rollback"] = {
            "tag": version, "branch": branch, "branched_from": release["name"], "migration": path}

    # ---- driver ----------------------------------------------------------------------------

    def run(self):
        args = self.args
        self.deleted = set()
        self.initial_commit()
        staging_every = args.commits / args.staging
        production_every = args.commits / (args.production - 1)  # the hotfix is one of them
        rails_versions = [(0.15, "5.2"), (0.35, "6.0"), (0.55, "6.1"), (0.8, "7.0"), (1.01, "7.1")]
        plan = {"drift": 0.62, "staged_edit": 0.66, "deletion": 0.71, "hotfix": 0.8}
        done = set()
        while self.s.commits < args.commits or len(self.staging) < args.staging \
                or len(self.production) < args.production or self.migrations_written < args.migrations:
            progress = self.s.commits / args.commits
            for limit, version in rails_versions:
                if progress < limit:
                    self.rails = version
                    break
            if self.rng.random() < 0.12:
                self.direct_commit()
            else:
                self.feature()
            if len(self.staging) < args.staging and self.s.commits >= staging_every * len(self.staging):
                self.deploy_staging()
                if len(self.staging) == 99:
                    self.deploy_staging(redeploy=True)  # deploy/staging/100: same commit, same date
                    self.manifest["irregularities"]["redeploy"] = ["deploy/staging/99", "deploy/staging/100"]
            regular = args.production - ("hotfix" not in done)
            if len(self.production) < regular and self.s.commits >= production_every * len(self.production):
                self.deploy_production()
            for name, at in plan.items():
                if name in done or progress < at:
                    continue
                if name == "staged_edit":
                    if not self.staged_edit():
                        continue
                else:
                    getattr(self, name)()
                done.add(name)
            if progress > 1.5:
                raise RuntimeError("could not place every marker")
        self.manifest.update({
            "commits_written": self.s.commits,
            "migrations_written": self.migrations_written,
            "staging_markers": len(self.staging),
            "production_markers": len(self.production),
            "annotated": {"staging": sum(m["annotated"] for m in self.staging),
                          "production": sum(m["annotated"] for m in self.production)},
        })
        self.s.sink.write(b"done\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="bare repository to create (replaced if it exists)")
    parser.add_argument("--commits", type=int, default=50_500)
    parser.add_argument("--migrations", type=int, default=5_050)
    parser.add_argument("--staging", type=int, default=600)
    parser.add_argument("--production", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    started = time.monotonic()
    output = os.path.abspath(args.output)
    building = output + ".tmp"
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", building], check=True)
    env = dict(os.environ, GIT_DIR=building)
    importer = subprocess.Popen(["git", "fast-import", "--quiet", "--done"],
                                stdin=subprocess.PIPE, env=env)
    sink = io.BufferedWriter(importer.stdin, buffer_size=1 << 20)
    generator = Generator(args, Stream(sink))
    generator.run()
    sink.flush()
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "update-ref", "-d", "refs/heads/topic"], check=True, env=env)
    subprocess.run(["git", "pack-refs", "--all"], check=True, env=env)
    # marks -> ids for the manifest
    marks = {}
    wanted = {m["commit"] for m in generator.staging + generator.production}
    manifest = generator.manifest
    for info in manifest["irregularities"].values():
        if isinstance(info, dict):
            for key in ("edited_in", "deleted_in"):
                if key in info:
                    wanted.add(info[key])
    manifest["generator_seconds"] = round(time.monotonic() - started, 1)
    manifest["seed"] = args.seed
    with open(os.path.join(building, "benchmark-manifest.json"), "w") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
    shutil.rmtree(output, ignore_errors=True)
    os.rename(building, output)
    print(f"generated {output} in {manifest['generator_seconds']} s "
          f"({manifest['commits_written']} commits, {manifest['migrations_written']} migrations written)")


if __name__ == "__main__":
    main()
