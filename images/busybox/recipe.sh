# bootwave-test/busybox:1 — Debian's static busybox with a link per applet: sh, httpd, nc, wget, sleep, ...
# The stand-in for services the tests and examples cannot get images for (no registry).
recipe_packages() { echo busybox-static; }
recipe_tag() { echo bootwave-test/busybox:1; }
recipe_changes() {
  echo 'ENV PATH=/bin'
  echo 'CMD ["/bin/sh"]'
}
recipe_rootfs() { bootwave_busybox_rootfs "$1"; }
