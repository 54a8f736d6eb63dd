#!/usr/bin/env bash
# build.sh - build the chartprov image (packaging/image/Containerfile) with buildah and push it.
#
#   bash packaging/image/build.sh [--tls-verify=false] CHARTPROV HELM DEST
#
#   CHARTPROV  the static chartprov binary (build/chartprov)
#   HELM       the helm binary the webhook runs: the version you deploy with, statically linked
#   DEST       where the image goes, in skopeo's transport syntax: REGISTRY/REPO:TAG (a registry,
#              docker:// may be omitted), oci:DIR:TAG, oci-archive:FILE:TAG, dir:DIR
#   --tls-verify=false  a plain-HTTP or self-signed registry (a loopback test registry)
#
# Registry credentials: buildah's own (REGISTRY_AUTH_FILE, or `buildah login`, or a Docker
# config). Prints, as its last line, DEST@sha256:... : deploy by that digest.
#
# No daemon, no fuse, no container runtime: vfs storage in a private temporary directory that is
# removed on exit (nothing is left in /var/lib/containers), and the Containerfile has no RUN
# step, so `bud --isolation chroot` runs nothing. Reproducible: file times and the image's
# creation time are SOURCE_DATE_EPOCH (default 0), so the same binaries give the same image.
# Root, or a user with subordinate ids for buildah's user namespace.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 2; }
usage() { sed -n '3,4p' "$0" >&2; exit 2; }

tls_verify=true
while [ $# -gt 0 ]; do
  case $1 in
    --tls-verify=false) tls_verify=false; shift ;;
    --tls-verify=true) tls_verify=true; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option $1" ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || usage
chartprov=$1 helm=$2 dest=$3
case $dest in
  oci:*|oci-archive:*|dir:*|docker://*|docker-archive:*) ;;
  *:*|*/*) dest=docker://$dest ;;
  *) die "DEST $dest names no registry (REGISTRY/REPO:TAG) and no oci:, oci-archive: or dir: path" ;;
esac
command -v buildah >/dev/null || die "buildah is not installed (Debian: apt-get install buildah; make deps)"

# A FROM-scratch image has no dynamic loader and no libraries: a dynamically linked binary
# would not start. readelf (binutils) names the interpreter of a dynamic executable.
static_binary() {  # static_binary WHAT PATH
  if [ ! -f "$2" ] || [ ! -x "$2" ]; then die "$1 $2 is not an executable file"; fi
  local headers
  headers=$(readelf -lW "$2" 2>/dev/null) || die "$1 $2 is not an ELF executable"
  case $headers in
    *"program interpreter"*) die "$1 $2 is dynamically linked; the image has no loader and no libraries" ;;
  esac
}
static_binary chartprov "$chartprov"
static_binary helm "$helm"
"$chartprov" --version >/dev/null 2>&1 || die "chartprov $chartprov does not run ($chartprov --version)"

here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/chartprov-image.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
ctx=$scratch/context
mkdir -p "$ctx/rootfs/tmp"
chmod 1777 "$ctx/rootfs/tmp"
cp "$chartprov" "$ctx/chartprov"
cp "$helm" "$ctx/helm"

B=(buildah --root "$scratch/storage" --runroot "$scratch/run" --storage-driver vfs)
name=localhost/chartprov-build:$$
"${B[@]}" bud --quiet --isolation chroot --pull=never --format oci \
  --timestamp "${SOURCE_DATE_EPOCH:-0}" -f "$here/Containerfile" -t "$name" "$ctx" >/dev/null \
  || die "buildah bud failed"
"${B[@]}" push --quiet --tls-verify="$tls_verify" --digestfile "$scratch/digest" "$name" "$dest" \
  || die "buildah push to $dest failed"
echo "${dest#docker://}@$(cat "$scratch/digest")"
