# Sourced by the test script: Docker Compose v2, the reference implementation of the Compose Specification, built
# from source with Go into a versioned cache (no downloads here but the Go module proxy). The conformance tests
# compare its `config --format json` with bootwave's import; the Docker benchmark runs it as a peer.
# v2.40.x is the last line that builds with a go.mod free of replace directives (v5 needs a newer toolchain).
BOOTWAVE_COMPOSE_VERSION=2.40.3

bootwave_compose_dir() { echo "${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}/compose-v${BOOTWAVE_COMPOSE_VERSION}"; }

# Builds (or reuses) the docker-compose v2 binary and prints its path; also exports BOOTWAVE_COMPOSE_V2.
bootwave_ensure_compose_v2() {
  local dir bin
  dir=$(bootwave_compose_dir); bin="$dir/bin/docker-compose"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || { echo "bootwave: go is needed to build Docker Compose v${BOOTWAVE_COMPOSE_VERSION}" >&2; return 1; }
    mkdir -p "$dir/bin"
    echo "bootwave: building Docker Compose v${BOOTWAVE_COMPOSE_VERSION} into $dir/bin (several minutes on first run)" >&2
    # `go install mod@version` refuses a go.mod with exclude directives (compose has some), so the module's own
    # source is downloaded and built as the main module, as its Makefile does.
    local src
    src=$(GOWORK=off GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@v${BOOTWAVE_COMPOSE_VERSION}" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
    [ -d "$src" ] || { echo "bootwave: could not download Docker Compose v${BOOTWAVE_COMPOSE_VERSION}" >&2; return 1; }
    (cd "$src" && CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod nice go build -trimpath \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=v${BOOTWAVE_COMPOSE_VERSION}" \
      -o "$bin.tmp" ./cmd) >&2 && mv "$bin.tmp" "$bin" || {
      echo "bootwave: could not build Docker Compose v${BOOTWAVE_COMPOSE_VERSION}" >&2; return 1; }
  fi
  export BOOTWAVE_COMPOSE_V2="$bin"
  echo "$bin"
}
