# Sourced by the project's scripts: installs the npm dependencies when they are missing or stale.
bootwave_ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "bootwave: installing npm dependencies" >&2
    npm ci --no-audit --no-fund >&2 || return 1
  fi
}
