# Sourced by the project's scripts: installs the npm dependencies when they are missing or stale.
# `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional packages (@swc/core-darwin-…) out of
# the lock file and `npm ci` then refuses it; `npm install` follows the same lock and leaves it unchanged.
bootwave_ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "bootwave: installing npm dependencies" >&2
    npm install --no-audit --no-fund >&2 || return 1
  fi
}
