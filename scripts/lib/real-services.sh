# Sourced by the test script: the Debian packages of the real services the tests boot (Redis, NATS, PostgreSQL) and Prometheus.
# Their own system services are kept from starting: the tests run them on ports of their own.
bootwave_ensure_real_services() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nats-server >/dev/null || missing+=(nats-server)
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  # promtool checks and unit-tests the alert rules; a real prometheus scrapes a worker in an integration test and
  # answers the `prometheus` check kind in test/probes/prometheus-probe.itest.ts.
  command -v promtool >/dev/null || missing+=(prometheus)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootwave: installing ${missing[*]} from Debian" >&2
  [ -n "$(find /var/lib/apt/lists -name '*Packages*' -print -quit 2>/dev/null)" ] || apt-get update -q >&2
  # policy-rc.d 101: packages install without starting their services on their default ports.
  local policy=/usr/sbin/policy-rc.d created=""
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  local status=$?
  [ -n "$created" ] && rm -f "$policy"
  return $status
}
