# bootwave-test/redis:7 — Debian's redis-server and redis-cli with their shared libraries, plus busybox for a shell.
recipe_packages() { echo busybox-static redis-server redis-tools; }
recipe_tag() { echo bootwave-test/redis:7; }
recipe_changes() {
  echo 'ENV PATH=/usr/bin:/bin'
  echo 'WORKDIR /data'
  echo 'CMD ["redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no"]'
}
recipe_rootfs() {
  bootwave_busybox_rootfs "$1"
  bootwave_copy_with_libs "$1" /usr/bin/redis-server
  bootwave_copy_with_libs "$1" /usr/bin/redis-cli
}
