#!/usr/bin/env bash
# Tells Freshet that the demo image was pushed, with the digest the registry reported for the push.
# Reads IMAGE_DIR/{repository,tag,digest}: the files registry-image's implicit get writes after a put
# (never the build task's own `digest` file, which is the image config's digest), or what
# build-and-push.sh wrote.
#
# env: FRESHET_URL          the receiver's generic endpoint, e.g. https://freshet.example/hooks/generic
#      FRESHET_SECRET_FILE  a file holding the shared secret, or
#      FRESHET_SECRET       the secret itself (written to a private temporary file for the CLI)
#      IMAGE_DIR            directory with repository, tag and digest (default: target/image)
#      FRESHET              the CLI (default: bin/freshet from the repository root; `make build` makes it)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

: "${FRESHET_URL:?set FRESHET_URL to the receiver, e.g. https://freshet.example/hooks/generic}"
IMAGE_DIR=${IMAGE_DIR:-$root/target/image}
FRESHET=${FRESHET:-$root/bin/freshet}

for f in repository tag digest; do
  [[ -s $IMAGE_DIR/$f ]] || { echo "missing $IMAGE_DIR/$f: run after the image push" >&2; exit 1; }
done
repository=$(tr -d '[:space:]' < "$IMAGE_DIR/repository")
tag=$(tr -d '[:space:]' < "$IMAGE_DIR/tag")
digest=$(tr -d '[:space:]' < "$IMAGE_DIR/digest")
[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "not a manifest digest in $IMAGE_DIR/digest: $digest" >&2; exit 1; }

if [[ -z ${FRESHET_SECRET_FILE:-} ]]; then
  : "${FRESHET_SECRET:?set FRESHET_SECRET_FILE (or FRESHET_SECRET)}"
  FRESHET_SECRET_FILE=$(mktemp)
  trap 'rm -f "$FRESHET_SECRET_FILE"' EXIT
  chmod 600 "$FRESHET_SECRET_FILE"
  printf '%s' "$FRESHET_SECRET" > "$FRESHET_SECRET_FILE"
fi
[[ -x $FRESHET ]] || { echo "the freshet CLI is missing at $FRESHET: run make build (or set FRESHET)" >&2; exit 1; }

echo "notifying $FRESHET_URL of $repository:$tag@$digest"
"$FRESHET" notify --url "$FRESHET_URL" --secret-file "$FRESHET_SECRET_FILE" \
  --image "$repository:$tag" --digest "$digest"
