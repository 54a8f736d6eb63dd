#!/usr/bin/env bash
# The chartprov image (issue 15): packaging/image/build.sh builds packaging/image/Containerfile
# with buildah from $CHARTPROV and $PEERS/helm and pushes it to a local registry; skopeo reads
# it back:
#   config: user 65532:65532, entrypoint chartprov, no Cmd, PATH/HOME/TMPDIR/CHARTPROV_HELM;
#   one layer holding exactly /usr/local/bin/{chartprov,helm} (0555, root) and /tmp (1777):
#     no shell, no /etc/passwd, nothing else; the binaries are the ones given, byte for byte;
#   the same binaries give the same image digest (a reproducible build);
#   run from the layer alone (chroot, uid 65532, the image's environment): chartprov pins a
#     trust root, allows a signed chart, denies a tampered one; helm renders the chart; there is
#     no /bin/sh to run;
#   build.sh refuses a dynamically linked binary, and a destination that names no registry.
set -u
. "$(dirname "$0")/lib.sh"
C=$CHARTPROV
BUILD=$REPO_ROOT/packaging/image/build.sh
cd "$W" || exit 1

# buildah needs root (or subordinate ids) even with vfs storage; say why when it cannot run.
if ! command -v buildah >/dev/null; then
  skip "the image build: buildah is not installed (Debian package buildah; make deps)"
  finish; exit
fi
if ! probe=$(buildah --root "$W/probe/root" --runroot "$W/probe/run" --storage-driver vfs images 2>&1); then
  skip "the image build: buildah cannot run here ($(echo "$probe" | tail -n 1))"
  finish; exit
fi
rm -rf "$W/probe"

# The image takes the static build/chartprov; a sanitizer build (make asan) is dynamically
# linked, and build.sh must refuse it, which is all that can be checked with it.
case $(readelf -lW "$C" 2>/dev/null) in
  *"program interpreter"*)
    check_exit 2 "build.sh refuses this dynamically linked chartprov (a sanitizer build)" bash "$BUILD" "$C" "$H" oci:"$W/never"
    check_said "  and says why" "is dynamically linked; the image has no loader and no libraries" err
    skip "the image build from $C: dynamically linked (a sanitizer build); the image takes the static build/chartprov"
    finish; exit ;;
esac

port=$(free_port)
start_registry "$W/registry" "$port" || { echo "FAIL registry did not start"; exit 1; }
R=127.0.0.1:$port
IMG=$R/chartprov/admission

check "build.sh builds the image and pushes it" bash "$BUILD" --tls-verify=false "$C" "$H" "$IMG:test"
pushed=$(tail -n 1 "$OUT")
check_said "  and prints the pushed reference with its digest" "^$IMG:test@sha256:[0-9a-f]{64}\$" out
digest=${pushed##*@}

check "skopeo reads the image's config" skopeo inspect --tls-verify=false --config "docker://$IMG@$digest"
cp "$OUT" config.json
# (check runs its command with stdin from /dev/null: the script goes in a file, not a heredoc.)
cat >config_check.py <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
assert c["os"] == "linux", c["os"]
cfg = c["config"]
assert cfg["User"] == "65532:65532", cfg.get("User")
assert cfg["Entrypoint"] == ["/usr/local/bin/chartprov"], cfg.get("Entrypoint")
assert not cfg.get("Cmd"), cfg.get("Cmd")
assert sorted(cfg["Env"]) == sorted(["PATH=/usr/local/bin", "HOME=/tmp", "TMPDIR=/tmp",
                                     "CHARTPROV_HELM=/usr/local/bin/helm"]), cfg["Env"]
assert c["created"] == "1970-01-01T00:00:00Z", c["created"]   # SOURCE_DATE_EPOCH unset: 0
assert len(c["rootfs"]["diff_ids"]) == 1, c["rootfs"]
PY
check "  user 65532:65532 (not root), entrypoint chartprov, no Cmd, the environment chartprov needs" \
  python3 config_check.py config.json

check "skopeo copies the image to a directory" skopeo copy --quiet --src-tls-verify=false "docker://$IMG@$digest" "dir:$W/img"
layer=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); (l,)=m["layers"]; print(l["digest"].split(":")[1])' "$W/img/manifest.json")
check "  one layer, a tar" test -n "$layer" -a -f "$W/img/$layer"
tar -tvzf "$W/img/$layer" 2>/dev/null | awk '{print $1, $2, $6}' | sort -k3 >listing.txt
cat >want.txt <<'EOF'
drwxrwxrwt 0/0 tmp/
drwxr-xr-x 0/0 usr/
drwxr-xr-x 0/0 usr/local/
drwxr-xr-x 0/0 usr/local/bin/
-r-xr-xr-x 0/0 usr/local/bin/chartprov
-r-xr-xr-x 0/0 usr/local/bin/helm
EOF
check "  holding exactly chartprov and helm (0555, root) and /tmp (1777): no shell, no /etc/passwd" \
  diff want.txt listing.txt
check "  with no shell anywhere" bash -c "! grep -Eq '(^|/)(sh|bash|dash|busybox)\$' listing.txt"

mkdir rootfs
check "the layer unpacks" tar -xzpf "$W/img/$layer" -C rootfs
check "  its chartprov is the binary given, byte for byte" cmp rootfs/usr/local/bin/chartprov "$C"
check "  its helm is the helm given, byte for byte" cmp rootfs/usr/local/bin/helm "$H"
check "  its chartprov runs (--version)" rootfs/usr/local/bin/chartprov --version
check_said "  and prints the version" '^[0-9]+\.[0-9]+\.[0-9]+' out
check "  and --help lists the subcommands" rootfs/usr/local/bin/chartprov --help
check_said "  (verify among them)" '^  verify ' out

check "the same binaries build the same image (reproducible)" bash "$BUILD" --tls-verify=false "$C" "$H" "$IMG:again"
check_said "  same digest" "^$IMG:again@$digest\$" out

# Run from the layer alone, as the image runs: uid and gid 65532, no /etc/passwd, the image's
# environment and nothing else. chroot needs root.
if [ "$(id -u)" = 0 ]; then
  mapfile -t img_env < <(python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["config"]["Env"]))' config.json)
  CHROOT=$(PATH=$PATH:/usr/sbin:/sbin command -v chroot)
  in_image() { env -i "${img_env[@]}" "$CHROOT" --userspec=65532:65532 "$W/rootfs" "$@"; }
  # Inputs: a trust root listing a cosign key for production, a chart it signed, and the same
  # chart tampered with after signing, all under the image's /tmp (readable, not writable).
  "$C" key generate --uid "Root <root@test.invalid>" --output root --no-passphrase >/dev/null
  COSIGN_PASSWORD=pw "$C" key generate --format cosign --output ci >/dev/null
  "$C" trust init --output trust --root-key root.key >/dev/null
  "$C" trust add-key --trust-dir trust --key ci.pub --owner platform-ci --charts 'web*' --envs production >/dev/null
  "$C" trust sign --trust-dir trust --root-key root.key >/dev/null
  "$C" trust update --trust-dir trust --from trust/staged.json >/dev/null
  trust_digest=$("$C" trust show --trust-dir trust | awk '$1 == "digest" {print $2}')
  "$H" create web >/dev/null
  "$C" package web -d signed >/dev/null
  COSIGN_PASSWORD=pw "$C" sign signed/web-0.1.0.tgz --key ci.key --format prov,cosign-blob >/dev/null
  echo "# changed after signing" >>web/templates/service.yaml
  "$C" package web -d tampered >/dev/null
  cp signed/web-0.1.0.tgz.prov signed/web-0.1.0.tgz.sig tampered/
  in=rootfs/tmp/in
  mkdir -p "$in" && cp -r trust signed tampered ci.pub root.pub.gpg "$in/" && rm -f "$in/trust/staged.json"
  chmod -R a+rX,go-w "$in"

  check "in the image (uid 65532, no passwd): chartprov --version" in_image /usr/local/bin/chartprov --version
  check_exit 2 "  an unpinned trust root is refused" in_image /usr/local/bin/chartprov verify /tmp/in/signed/web-0.1.0.tgz --trust-dir /tmp/in/trust --env production
  check_said "  with the pin command to run" "is not pinned on this host" err
  check "  trust init --pin by digest (the state goes to \$HOME=/tmp)" in_image /usr/local/bin/chartprov trust init --pin --trust-dir /tmp/in/trust --digest "$trust_digest"
  check "  the signed chart is allowed for production" in_image /usr/local/bin/chartprov verify /tmp/in/signed/web-0.1.0.tgz --trust-dir /tmp/in/trust --env production
  check_said "  ALLOW, signed by platform-ci" "^ALLOW web 0.1.0 for production" out
  check_exit 1 "  the tampered chart is denied" in_image /usr/local/bin/chartprov verify /tmp/in/tampered/web-0.1.0.tgz --trust-dir /tmp/in/trust --env production
  check "  the signed chart verifies with --key (the cosign public key)" in_image /usr/local/bin/chartprov verify /tmp/in/signed/web-0.1.0.tgz --key /tmp/in/ci.pub
  check_exit 2 "  --keyring is refused: chartprov-rnp is not in the image" in_image /usr/local/bin/chartprov verify /tmp/in/signed/web-0.1.0.tgz --keyring /tmp/in/root.pub.gpg
  check_said "  and says so" "chartprov-rnp was not found" err
  check "  helm renders the chart (helm template)" in_image /usr/local/bin/helm template rel /tmp/in/signed/web-0.1.0.tgz --namespace web
  check_said "  a Deployment" "^kind: Deployment" out
  check_exit 127 "  there is no shell to run" in_image /bin/sh -c true
  check_said "  (chroot says /bin/sh does not exist)" "failed to run command '/bin/sh': No such file or directory" err
else
  skip "running the image's layer as uid 65532 (chroot needs root)"
fi

check_exit 2 "build.sh refuses a dynamically linked chartprov" bash "$BUILD" --tls-verify=false "$CHARTPROV_RNP" "$H" "$IMG:bad"
check_said "  and says why" "is dynamically linked; the image has no loader and no libraries" err
check_exit 2 "build.sh refuses a destination that names no registry" bash "$BUILD" "$C" "$H" chartprov
check_fails "  and nothing was pushed under :bad" skopeo inspect --tls-verify=false "docker://$IMG:bad"

finish
