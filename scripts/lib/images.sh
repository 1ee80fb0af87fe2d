# Sourced by the project's scripts: builds the local test images (no registry can be reached) with `docker import`
# from root filesystem tarballs assembled from Debian's packages. Each image carries the hash of its recipe in
# the label `bootwave.recipe`; an image whose label matches is reused, so a warm machine builds nothing.
# Recipes live in images/<name>/recipe.sh; each defines `recipe_packages` (Debian packages it needs on the host),
# `recipe_tag` and `recipe_rootfs DIR` (fills DIR). Artefacts go to $BOOTWAVE_CACHE/images.
BOOTWAVE_CACHE="${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}"
BOOTWAVE_IMAGES_DIR="${BOOTWAVE_IMAGES_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../images" && pwd)}"

# Copies an executable and every shared library `ldd` names (with the loader) into a root filesystem, same paths.
bootwave_copy_with_libs() {
  local rootfs="$1" bin="$2" lib
  install -D -m 0755 "$bin" "$rootfs$bin"
  for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
    [ -e "$lib" ] || continue
    install -D -m 0755 "$(readlink -f "$lib")" "$rootfs$lib"
  done
}

# Puts Debian's static busybox at /bin/busybox with a link per applet (sh, httpd, nc, wget, ...).
bootwave_busybox_rootfs() {
  local rootfs="$1" applet
  install -D -m 0755 /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
  done
  mkdir -p "$rootfs/tmp" "$rootfs/etc" "$rootfs/var/www" "$rootfs/data"
  chmod 1777 "$rootfs/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  echo 'hosts: files dns' >"$rootfs/etc/nsswitch.conf"
}

bootwave_image_missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  echo "${missing[*]}"
}

# Builds (or reuses) one image from images/<name>/recipe.sh.
bootwave_ensure_image() {
  local name="$1" recipe="$BOOTWAVE_IMAGES_DIR/$1/recipe.sh"
  [ -f "$recipe" ] || { echo "bootwave: no image recipe $recipe" >&2; return 1; }
  (
    set -euo pipefail
    # shellcheck source=/dev/null
    source "$recipe"
    local tag hash current missing
    tag="$(recipe_tag)"
    hash="$(cat "$recipe" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
    current="$(docker image inspect -f '{{ index .Config.Labels "bootwave.recipe" }}' "$tag" 2>/dev/null || true)"
    if [ "$current" = "$hash" ]; then exit 0; fi
    missing="$(bootwave_image_missing_packages $(recipe_packages))"
    if [ -n "$missing" ]; then
      echo "bootwave: installing $missing from Debian for image $tag" >&2
      # policy-rc.d keeps Debian's maintainer scripts from starting the services on the host.
      local policy=/usr/sbin/policy-rc.d made_policy=""
      if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1; fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2 || { [ -n "$made_policy" ] && rm -f "$policy"; exit 1; }
      [ -n "$made_policy" ] && rm -f "$policy"
    fi
    local work="$BOOTWAVE_CACHE/images/$name-$hash"
    rm -rf "$work" && mkdir -p "$work/rootfs"
    recipe_rootfs "$work/rootfs"
    tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
    echo "bootwave: importing image $tag" >&2
    local changes=(--change "LABEL bootwave.recipe=$hash")
    while IFS= read -r change; do [ -n "$change" ] && changes+=(--change "$change"); done < <(recipe_changes)
    docker import "${changes[@]}" "$work/rootfs.tar" "$tag" >/dev/null
    rm -rf "$work/rootfs"
  )
}

# Builds every image under images/ (or the ones named).
bootwave_ensure_images() {
  local name names=("$@")
  if [ ${#names[@]} -eq 0 ]; then
    for name in "$BOOTWAVE_IMAGES_DIR"/*/recipe.sh; do names+=("$(basename "$(dirname "$name")")"); done
  fi
  for name in "${names[@]}"; do bootwave_ensure_image "$name" || return 1; done
}
