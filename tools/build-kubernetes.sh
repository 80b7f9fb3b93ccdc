#!/usr/bin/env bash
# Build the Kubernetes binaries local Kubernetes bays run, once per machine,
# cached by version (no registry is reachable here, so no upstream release
# tarball or kindest/node image; see shared research "local-kubernetes"):
#   - kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
#     kube-proxy built from Debian's `kubernetes` source package (1.20.2) with
#     Debian's Go, exactly as Debian's debian/rules does (GOPATH symlink, make);
#   - no kubectl: the host's kubectl (any version within the skew policy)
#     talks to the bay; Debian's kubernetes-client clashes with other kubectls;
#   - etcd (`etcd-server`) and the CNI plugins (`containernetworking-plugins`)
#     copied from their Debian packages;
#   - the pod sandbox ("pause") binary compiled statically from the same tree.
# Output: $MAGNUM_K8S_CACHE/<version>/{bin,cni}/ and a `complete` stamp. When
# the stamp exists nothing is rebuilt (a warm CI run pays nothing).
# Usage: tools/build-kubernetes.sh [--check]   (--check: exit 0 iff cached)
set -euo pipefail

VERSION="${MAGNUM_K8S_VERSION:-1.20.2}"
CACHE_ROOT="${MAGNUM_K8S_CACHE:-$HOME/.cache/magnum-kubernetes}"
OUT="$CACHE_ROOT/$VERSION"
BUILD_PACKAGES=(golang-go jq rsync gcc libc6-dev dpkg-dev)
RUNTIME_PACKAGES=(etcd-server containernetworking-plugins)
SERVER_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
SOURCES_FILE=/etc/apt/sources.list.d/magnum-kubernetes-src.sources

say() { printf 'build-kubernetes: %s\n' "$*"; }

if [ -f "$OUT/complete" ]; then
    say "Kubernetes $VERSION cached in $OUT"
    exit 0
fi
if [ "${1:-}" = "--check" ]; then
    exit 1
fi

# One build per machine: a second caller (another checkout's install.sh)
# waits for the first and then finds the cache complete.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
if ! flock -n 9; then
    say "another build of Kubernetes $VERSION is running; waiting for it"
    flock 9
fi
if [ -f "$OUT/complete" ]; then
    say "Kubernetes $VERSION cached in $OUT"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) for apt-get" >&2; exit 1; }
    SUDO=(sudo)
else
    SUDO=()
fi

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || printf '%s\n' "$pkg"
    done
}

ensure_source_entry() {
    # A deb-src entry beside the machine's own Debian entry, same mirror and key.
    [ -f "$SOURCES_FILE" ] && return
    local uri
    uri="$(awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)"
    uri="${uri:-http://deb.debian.org/debian}"
    say "adding deb-src entry for $uri"
    printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" | "${SUDO[@]}" tee "$SOURCES_FILE" >/dev/null
}

started=$SECONDS
mapfile -t missing < <(missing_packages "${BUILD_PACKAGES[@]}" "${RUNTIME_PACKAGES[@]}")
ensure_source_entry
"${SUDO[@]}" apt-get update -qq
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
fi

WORK="$CACHE_ROOT/.build-$VERSION"
mkdir -p "$WORK"
cd "$WORK"
if ! ls -d kubernetes-*/ >/dev/null 2>&1; then
    say "fetching Debian's kubernetes source package"
    apt-get source -qq kubernetes >/dev/null
fi
SRC="$(cd "$(ls -d kubernetes-*/ | head -n1)" && pwd)"
say "building ${SERVER_BINARIES[*]} from $SRC (nice)"
mkdir -p "$SRC/.go/src/k8s.io"
ln -sfn "$SRC" "$SRC/.go/src/k8s.io/kubernetes"
whats=()
for b in "${SERVER_BINARIES[@]}"; do whats+=("cmd/$b"); done
(
    cd "$SRC/.go/src/k8s.io/kubernetes"
    export GOPATH="$SRC/.go" CGO_ENABLED=0 PATH="/usr/lib/go/bin:$PATH" GO111MODULE=off
    export GOCACHE="$WORK/.gocache" KUBE_GIT_VERSION="v$VERSION" KUBE_GIT_TREE_STATE=clean
    nice -n 15 make WHAT="${whats[*]}"
)
gcc -Os -static -o "$WORK/pause" "$SRC/build/pause/linux/pause.c"

STAGE="$OUT.partial"
rm -rf "$STAGE"
mkdir -p "$STAGE/bin" "$STAGE/cni"
for b in "${SERVER_BINARIES[@]}"; do
    install -m 0755 "$SRC/_output/bin/$b" "$STAGE/bin/$b"
done
install -m 0755 /usr/bin/etcd "$STAGE/bin/etcd"
install -m 0755 "$WORK/pause" "$STAGE/bin/pause"
cp -a /usr/lib/cni/. "$STAGE/cni/"
"$STAGE/bin/kubelet" --version > "$STAGE/version"
rm -rf "$OUT"
mv "$STAGE" "$OUT"
echo "built in $((SECONDS - started)) s" > "$OUT/complete"
say "Kubernetes $VERSION built in $((SECONDS - started)) s into $OUT"
# The source tree and Go build cache are ~2 GB; keep only the binaries.
rm -rf "$WORK"
