# Sourced by the project's scripts: installs exactly the lockfile's npm dependencies when they are missing or stale.
# `npm ci`, so a set-up never rewrites package-lock.json; the lock lists every platform's optional packages.
bootwave_ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
    [ package.json -nt node_modules/.package-lock.json ]; then
    echo "bootwave: installing npm dependencies (npm ci)" >&2
    npm ci --no-audit --no-fund >&2 || return 1
  fi
}
