# Sourced by the test script: a real Kubernetes control plane for the tests, built from source (no images here).
# kube-apiserver, kube-controller-manager and kube-scheduler 1.36.1 come from a throwaway Go module generated in
# the cache (k8s.io/kubernetes cannot be `go install`ed: its go.mod replaces the staging modules with folders);
# kwok/kwokctl fake the nodes; etcd comes from Debian.
BOOTWAVE_KUBE_VERSION=1.36.1
BOOTWAVE_KWOK_VERSION=0.8.0

bootwave_kube_dir() { echo "${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}/kube-${BOOTWAVE_KUBE_VERSION}"; }

# Builds one Kubernetes command into the cache unless it is there already.
bootwave_build_kube_cmd() {
  local cmd=$1 dir mod bin
  dir=$(bootwave_kube_dir); mod="$dir/build-module"; bin="$dir/bin/$cmd"
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || { echo "bootwave: go is needed to build $cmd" >&2; return 1; }
  mkdir -p "$dir/bin" "$mod"
  if [ ! -f "$mod/go.sum" ]; then
    local gomod
    gomod=$(GOWORK=off GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v${BOOTWAVE_KUBE_VERSION}" |
      sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')
    [ -f "$gomod" ] || { echo "bootwave: could not download the go.mod of k8s.io/kubernetes v${BOOTWAVE_KUBE_VERSION}" >&2; return 1; }
    {
      echo "module bootwave.local/kube-build"
      echo "go 1.25"
      echo "require k8s.io/kubernetes v${BOOTWAVE_KUBE_VERSION}"
      # Every staging module the kubernetes go.mod points at a local folder is replaced by its published version.
      grep -oE '^[[:space:]]*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" |
        awk -v v="v0.${BOOTWAVE_KUBE_VERSION#1.}" '{print "replace " $1 " => " $1 " " v}'
    } > "$mod/go.mod"
    # No tidy: `go build -mod=mod` below adds the missing requirements at the versions kubernetes pins.
  fi
  local v="v${BOOTWAVE_KUBE_VERSION}" now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local minor=${BOOTWAVE_KUBE_VERSION#1.}; minor=${minor%%.*}
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$v -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean -X $p.buildDate=$now"
  done
  echo "bootwave: building $cmd $v into $dir/bin (several minutes on first run)" >&2
  (cd "$mod" && CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=mod nice go build -trimpath -ldflags "$ld" \
    -o "$bin.tmp" "k8s.io/kubernetes/cmd/$cmd") && mv "$bin.tmp" "$bin"
}

# Builds (or reuses) kubectl of the cluster's version into the same cache and prints its path: the Kubernetes
# benchmark boots KOSMOS with a wave-by-wave `kubectl apply` + `kubectl rollout status` script beside bootwave.
bootwave_ensure_kubectl() {
  bootwave_build_kube_cmd kubectl || return 1
  echo "$(bootwave_kube_dir)/bin/kubectl"
}

# Builds (or reuses) every binary the local cluster needs; fails naming what is missing.
bootwave_ensure_kube_binaries() {
  local dir; dir=$(bootwave_kube_dir); mkdir -p "$dir/bin"
  if [ ! -x "$dir/bin/kwokctl" ] || [ ! -x "$dir/bin/kwok" ]; then
    echo "bootwave: building kwok/kwokctl v${BOOTWAVE_KWOK_VERSION}" >&2
    GOBIN="$dir/bin" CGO_ENABLED=0 GOWORK=off nice go install -p 1 \
      "sigs.k8s.io/kwok/cmd/kwok@v${BOOTWAVE_KWOK_VERSION}" "sigs.k8s.io/kwok/cmd/kwokctl@v${BOOTWAVE_KWOK_VERSION}" || return 1
  fi
  if ! command -v etcd >/dev/null && [ ! -x /usr/bin/etcd ]; then
    echo "bootwave: installing etcd-server from Debian" >&2
    local policy=/usr/sbin/policy-rc.d created=""
    [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >&2; local s=$?
    [ -n "$created" ] && rm -f "$policy"; [ $s -eq 0 ] || return 1
  fi
  local c
  for c in kube-apiserver kube-controller-manager kube-scheduler; do bootwave_build_kube_cmd "$c" || return 1; done
  local missing=()
  for c in kube-apiserver kube-controller-manager kube-scheduler kwok kwokctl; do
    [ -x "$dir/bin/$c" ] || missing+=("$dir/bin/$c")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "bootwave: missing Kubernetes binaries: ${missing[*]}" >&2; return 1; }
}

# Starts one local cluster (kwokctl, binary runtime, every component from the cache, bound to 127.0.0.1) and
# prints the path of its kubeconfig; also exports BOOTWAVE_TEST_KUBECONFIG and BOOTWAVE_TEST_KUBE_CLUSTER.
# BOOTWAVE_KUBE_UNLIMITED_QPS=true lifts the components' client rate limits (the controller manager's default
# 20 requests/s is what bounds a rollout of hundreds of Deployments).
bootwave_kube_up() {
  bootwave_ensure_kube_binaries >&2 || return 1
  local dir name port config etcd
  # The API server's port: below the test services' port counter (19000-21999) and the fixtures' fixed 18xxx ports.
  dir=$(bootwave_kube_dir); name="${BOOTWAVE_KUBE_CLUSTER_NAME:-bootwave-$$-$RANDOM}"; port=$((15000 + RANDOM % 2000))
  etcd=$(command -v etcd || echo /usr/bin/etcd)
  config="$dir/clusters/$name.yaml"; mkdir -p "$dir/clusters"
  cat > "$config" <<CONFIG
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeApiserverPort: $port
  kubeApiserverBinary: $dir/bin/kube-apiserver
  kubeControllerManagerBinary: $dir/bin/kube-controller-manager
  kubeSchedulerBinary: $dir/bin/kube-scheduler
  kwokControllerBinary: $dir/bin/kwok
  etcdBinary: $etcd
  kubeVersion: v${BOOTWAVE_KUBE_VERSION}
  cacheDir: $dir/kwok-cache
  # Debian's etcd 3.4 lacks RequestWatchProgress, so the API server refuses watch-list streams; kwok's client kept
  # asking for one and saw new pods only at its next relist, 10-30 s later. With the gate off, clients list and
  # then watch, and kwok runs a pod within a second.
  kubeFeatureGates: WatchList=false
  disableQPSLimits: ${BOOTWAVE_KUBE_UNLIMITED_QPS:-false}
CONFIG
  local started; started=$(date +%s)
  # kwokctl adds its context to $KUBECONFIG: point it at a file of this cluster's own, never the user's config.
  local KUBECONFIG="$dir/clusters/$name.kubeconfig"; export KUBECONFIG
  "$dir/bin/kwokctl" create cluster --name "$name" --config "$config" --wait 120s >&2 || {
    echo "bootwave: kwokctl could not start cluster $name (config $config)" >&2
    "$dir/bin/kwokctl" delete cluster --name "$name" >&2 2>&1 || true
    return 1
  }
  # A node for the pods to land on: kwok marks it Ready and runs its pods.
  "$dir/bin/kwokctl" scale node --name "$name" --replicas 2 >&2 || return 1
  echo "bootwave: cluster $name up in $(( $(date +%s) - started )) s" >&2
  export BOOTWAVE_TEST_KUBE_CLUSTER="$name" BOOTWAVE_TEST_KUBECONFIG="$dir/clusters/$name.kubeconfig"
  echo "$BOOTWAVE_TEST_KUBECONFIG"
}

# Stops the cluster started by bootwave_kube_up (its name from the argument or BOOTWAVE_TEST_KUBE_CLUSTER).
bootwave_kube_down() {
  local name=${1:-$BOOTWAVE_TEST_KUBE_CLUSTER} dir; dir=$(bootwave_kube_dir)
  [ -n "$name" ] || return 0
  KUBECONFIG="$dir/clusters/$name.kubeconfig" "$dir/bin/kwokctl" delete cluster --name "$name" >&2 || return 1
  rm -f "$dir/clusters/$name.yaml" "$dir/clusters/$name.kubeconfig"
}
