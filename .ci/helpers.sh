# Helpers of .ci/run, apart so that a test (scripts/ci-helpers.test.ts) can run them.

# start_group LOG CMD...: runs CMD in a session, and so a process group, of its own, with its
# output in LOG, and prints the group's id. A background job of a script (no job control) is
# no group leader, so setsid runs CMD in place: $! is the new group's id.
start_group() {
  local log=$1
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  echo $!
}

# stop_group PGID: ends that process group alone — TERM, then KILL after 10 s. Never by name or
# command line: that would end every Canopy on the machine.
stop_group() {
  local pgid=$1
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null
  return 0
}

# SQL as the postgres superuser over the local socket (peer authentication).
as_postgres() { runuser -u postgres -- psql -qXtA -v ON_ERROR_STOP=1 -c "$1"; }

# create_test_role NAME PASSWORD: a login role that may create databases (the tests make one per
# file, and drop it WITH (FORCE), which an owner may do) and nothing more: no superuser role
# is left for other software on the machine to log in with.
create_test_role() {
  as_postgres "CREATE ROLE \"$1\" LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION PASSWORD '$2'" >/dev/null
}

# drop_test_role NAME: drops the databases it still owns (a test run that crashed may leave
# some), then the role.
drop_test_role() {
  local db
  for db in $(as_postgres "SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = '$1'"); do
    as_postgres "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null
  done
  as_postgres "DROP ROLE IF EXISTS \"$1\"" >/dev/null
}
