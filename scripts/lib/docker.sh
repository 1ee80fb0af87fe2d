# Sourced by the project's scripts: makes a Docker engine answer `docker info`.
# Uses a running engine when there is one; else installs Debian's docker.io (and docker-compose 1.29 for the
# benchmark) when dockerd is missing and starts dockerd by hand as root, logging into the cache folder.
# A dockerd this script did not start is never stopped by it.
BOOTWAVE_CACHE="${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}"
BOOTWAVE_DOCKER_WAIT_S="${BOOTWAVE_DOCKER_WAIT_S:-60}"

bootwave_docker_log() { echo "bootwave: $*" >&2; }

bootwave_docker_install() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    bootwave_docker_log "cannot install ${missing[*]}: not root (install them, or start a Docker engine and set DOCKER_HOST)"
    return 1
  fi
  bootwave_docker_log "installing ${missing[*]} from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; } \
    || { bootwave_docker_log "could not install ${missing[*]}"; return 1; }
}

# Waits until `docker info` answers, at most BOOTWAVE_DOCKER_WAIT_S seconds.
bootwave_docker_wait() {
  local deadline=$((SECONDS + BOOTWAVE_DOCKER_WAIT_S))
  while ! docker info >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      bootwave_docker_log "Docker engine not answering after ${BOOTWAVE_DOCKER_WAIT_S} s (log: $1)"
      tail -n 20 "$1" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
}

bootwave_ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  bootwave_docker_install || return 1
  if [ "$(id -u)" != 0 ]; then
    bootwave_docker_log "no Docker engine answers and starting dockerd needs root"
    return 1
  fi
  local dir="$BOOTWAVE_CACHE/dockerd"
  mkdir -p "$dir"
  local pidfile="$dir/dockerd.pid" log="$dir/dockerd.log"
  # A dockerd we started earlier may still be coming up: wait for it rather than starting a second one.
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    bootwave_docker_wait "$log"
    return
  fi
  bootwave_docker_log "starting dockerd (log: $log)"
  # dockerd writes its own pidfile; setsid detaches it from the caller's process group so the test run's
  # end does not take the engine (and the cached images' daemon) down with it.
  setsid dockerd --pidfile "$pidfile" --host unix:///var/run/docker.sock >"$log" 2>&1 < /dev/null &
  unset DOCKER_HOST
  bootwave_docker_wait "$log"
}

# Stops the dockerd this script started (by its pidfile); leaves any other engine alone.
bootwave_stop_docker() {
  local pidfile="$BOOTWAVE_CACHE/dockerd/dockerd.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
}

# What the Docker tests need: an engine and the local bootwave-test/* images (built once, reused by recipe hash).
bootwave_ensure_docker_for_tests() {
  bootwave_ensure_docker || return 1
  # shellcheck source=scripts/lib/images.sh
  source "$(dirname "${BASH_SOURCE[0]}")/images.sh"
  bootwave_ensure_images
}
