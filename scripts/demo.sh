#!/usr/bin/env bash
# One command: install what is missing, build migledger, and run it on a demo repository made
# on the fly (a Rails shop with migrations, history and deploy tags) in a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/setup.sh

echo "==> building migledger (release)"
swift build -c release --static-swift-stdlib --product migledger 2>&1 | tail -n 1
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/migledger"

demo=$(mktemp -d "${TMPDIR:-/tmp}/migledger-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
repo="$demo/shop"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME="Ada Lovelace" GIT_AUTHOR_EMAIL=ada@shop.example
export GIT_COMMITTER_NAME="Ada Lovelace" GIT_COMMITTER_EMAIL=ada@shop.example

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
at() { export GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1"; }
commit() { git -C "$repo" add -A && git -C "$repo" commit -q -m "$1"; }
migration() {
  mkdir -p "$repo/db/migrate"
  cat > "$repo/db/migrate/$1"
}

step "creating the demo repository in $repo"
git init -q -b main "$repo"
mkdir -p "$repo/app/models"
echo "class User < ApplicationRecord; end" > "$repo/app/models/user.rb"
echo "# Shop" > "$repo/README.md"
at "2024-01-08T09:00:00Z"
migration 20240108090000_create_users.rb <<'RUBY'
class CreateUsers < ActiveRecord::Migration[7.1]
  def change
    create_table :users do |t|
      t.string :name, null: false
      t.timestamps
    end
  end
end
RUBY
commit "Create users"
git -C "$repo" tag deploy/staging/1
at "2024-01-09T10:00:00Z"; git -C "$repo" tag -a v1.0.0 -m "Release 1.0.0"

at "2024-02-12T14:30:00Z"
migration 20240212143000_add_email_to_users.rb <<'RUBY'
class AddEmailToUsers < ActiveRecord::Migration[7.1]
  def change
    add_column :users, :email, :string
  end
end
RUBY
commit "Add email to users"
git -C "$repo" tag deploy/staging/2
at "2024-02-14T08:00:00Z"; git -C "$repo" tag -a v1.1.0 -m "Release 1.1.0"

at "2024-03-04T11:00:00Z"
migration 20240304110000_create_orders.rb <<'RUBY'
class CreateOrders < ActiveRecord::Migration[7.1]
  def up
    create_table :orders do |t|
      t.references :user, null: false
      t.integer :total_cents, null: false, default: 0
    end
  end

  def down
    drop_table :orders
  end
end
RUBY
commit "Create orders"
git -C "$repo" tag deploy/staging/3

at "2024-03-20T16:45:00Z"
sed -i 's/t.string :name, null: false/t.string :name, null: false, limit: 120/' "$repo/db/migrate/20240108090000_create_users.rb"
commit "Limit user names to 120 characters"
git -C "$repo" tag deploy/staging/4
git -C "$repo" log --oneline --decorate | sed 's/^/    /'

cd "$repo"
step "migledger init: detect formats, folders and environments, write migledger.yml"
"$bin" init
at "2024-03-21T09:00:00Z"; commit "Add migledger policy"

step "migledger ledger sync: record every deploy found from the deploy tags"
"$bin" ledger sync

step "migledger ledger show: what each environment has run"
"$bin" ledger show

step "plain git sees the same thing: what changed in db/migrate since production ran it"
git --no-pager diff --stat refs/migledger/production HEAD -- db/migrate

step "migledger ledger verify: the chains are append-only and their trailers true"
"$bin" ledger verify

step "a git server with migledger's hooks: a push that edits a deployed migration is refused"
server="$demo/server.git"
git clone -q --bare "$repo" "$server"
cp "$root/hooks/pre-receive" "$root/hooks/post-receive" "$server/hooks/"
git -C "$server" config receive.advertisePushOptions true
(cd "$server" && "$bin" ledger sync >/dev/null)
export MIGLEDGER="$bin"
git clone -q "$server" "$demo/laptop"
at "2024-03-22T10:00:00Z"
sed -i 's/add_column :users, :email, :string/add_column :users, :email, :citext/' "$demo/laptop/db/migrate/20240212143000_add_email_to_users.rb"
git -C "$demo/laptop" commit -q -am "Make emails case-insensitive"
set +e
git -C "$demo/laptop" push origin main 2>&1 | sed 's/^/    /'
set -e

step "the same change as a new migration is accepted"
git -C "$demo/laptop" checkout -q -- . && git -C "$demo/laptop" reset -q --hard origin/main
cat > "$demo/laptop/db/migrate/20240322100000_make_user_emails_case_insensitive.rb" <<'RUBY'
class MakeUserEmailsCaseInsensitive < ActiveRecord::Migration[7.1]
  def change
    enable_extension :citext
    change_column :users, :email, :citext
  end
end
RUBY
git -C "$demo/laptop" add -A && git -C "$demo/laptop" commit -q -m "Make emails case-insensitive"
git -C "$demo/laptop" push origin main 2>&1 | sed 's/^/    /'

step "migledger audit: the past at once (exit code 1: a deployed migration was edited)"
set +e
"$bin" audit
status=$?
set -e
echo "(audit exited $status)"

step "migledger gate: what production would run for HEAD, as a report for the release notes (exit 1: blocked)"
set +e
"$bin" gate --env production
status=$?
set -e
echo "(gate exited $status)"

step "migledger lint: the content rules on a migration file, in a repository or not (exit 1: a NOT NULL column without a default)"
cat > "$demo/20240501090000_add_plan_to_users.sql" <<'SQL'
-- migrate:up
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN plan text NOT NULL;
-- migledger:ignore require-concurrent-index-creation users holds 40 rows: the lock lasts milliseconds
CREATE INDEX idx_users_plan ON users (plan);

-- migrate:down
DROP INDEX idx_users_plan;
ALTER TABLE users DROP COLUMN plan;
SQL
set +e
(cd "$demo" && "$bin" lint 20240501090000_add_plan_to_users.sql)
status=$?
set -e
echo "(lint exited $status)"

step "migledger roundtrip: does every pending down migration really restore the schema?"
billing="$demo/billing"
git init -q -b main "$billing"
mkdir -p "$billing/db/migrations"
printf 'version: 1\nmigrations:\n  - path: db/migrations\n    format: dbmate\n' > "$billing/migledger.yml"
cat > "$billing/db/migrations/20240401090000_create_invoices.sql" <<'SQL'
-- migrate:up
CREATE TABLE invoices (id bigint PRIMARY KEY, customer text NOT NULL, total_cents bigint NOT NULL);

-- migrate:down
DROP TABLE invoices;
SQL
cat > "$billing/db/migrations/20240402090000_add_due_date_to_invoices.sql" <<'SQL'
-- migrate:up
ALTER TABLE invoices ADD COLUMN due_on date;
CREATE INDEX idx_invoices_customer ON invoices (customer);

-- migrate:down
ALTER TABLE invoices DROP COLUMN due_on;
SQL
at "2024-04-02T09:00:00Z"; git -C "$billing" add -A && git -C "$billing" commit -q -m "Invoices"
if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  set +e
  (cd "$billing" && "$bin" roundtrip --ephemeral)
  status=$?
  set -e
  echo "(roundtrip exited $status: the down part forgets the index)"
else
  echo "    PostgreSQL's server programs are not installed; install them (Debian/Ubuntu: apt-get install postgresql)"
  echo "    and run: migledger roundtrip --ephemeral   (or --database postgresql://user@host/db)"
fi

printf '\nThe demo repository is removed on exit. Try the commands on your own repository:\n  %s init && %s ledger sync && %s ledger show\n' "$bin" "$bin" "$bin"
