#!/usr/bin/env bash
# Builds the demo app's image with Jib (no Docker daemon) and either pushes it or leaves it as a tarball
# for Concourse's registry-image `put` to push. After a push it writes what registry-image's implicit get
# writes — OUTPUT_DIR/{repository,tag,digest} — so notify.sh reads the same layout in both worlds.
#
# env: IMAGE          where to push, REPO:TAG, e.g. 127.0.0.1:5000/demo/app:dev (required unless TAR_ONLY)
#      OUTPUT_DIR     where to write the result (default: target/image)
#      TAR_ONLY       "true": only build OUTPUT_DIR/image.tar (Concourse; the put pushes and reports the digest)
#      INSECURE_REGISTRY  "true" for a plain-HTTP registry such as the testbed's
#      REGISTRY_USERNAME, REGISTRY_PASSWORD  credentials for the push, if the registry needs them
#      DEMO_VERSION   the version the app reports on /version (default: the Maven project version)
#      MVN            the Maven command (default: mvn -B -ntp)
set -euo pipefail
cd "$(dirname "$0")/../.."

MVN=${MVN:-mvn -B -ntp}
OUTPUT_DIR=${OUTPUT_DIR:-target/image}
mkdir -p "$OUTPUT_DIR"
OUTPUT_DIR=$(cd "$OUTPUT_DIR" && pwd)

jib=(-Pimage)
[[ ${INSECURE_REGISTRY:-false} == true ]] && jib+=(-Djib.allowInsecureRegistries=true)
[[ -n ${DEMO_VERSION:-} ]] && jib+=("-Djib.container.environment=DEMO_VERSION=$DEMO_VERSION")
if [[ -n ${REGISTRY_USERNAME:-} ]]; then
  # Through the environment, not the command line, so the password is not in the process list.
  export JIB_TO_AUTH_USERNAME=$REGISTRY_USERNAME JIB_TO_AUTH_PASSWORD=${REGISTRY_PASSWORD:?REGISTRY_PASSWORD is required with REGISTRY_USERNAME}
  jib+=(-Djib.to.auth.username="$REGISTRY_USERNAME")
fi

if [[ ${TAR_ONLY:-false} == true ]]; then
  # The tag inside the tarball is irrelevant: registry-image pushes to its own repository and tag.
  $MVN -pl demo-app -DskipTests "${jib[@]}" package jib:buildTar \
    -Djib.to.image="${IMAGE:-demo/app:build}" -Djib.outputPaths.tar="$OUTPUT_DIR/image.tar"
  echo "image tarball: $OUTPUT_DIR/image.tar"
  exit 0
fi

: "${IMAGE:?set IMAGE=REPO:TAG, e.g. 127.0.0.1:5000/demo/app:dev}"
repository=${IMAGE%:*}
tag=${IMAGE##*:}
[[ $repository != "$IMAGE" && $tag != */* ]] || { echo "IMAGE must be REPO:TAG, not $IMAGE" >&2; exit 1; }

# jib-image.digest is the digest of the manifest Jib pushed, which is what the registry serves for the tag.
$MVN -pl demo-app -DskipTests "${jib[@]}" package jib:build \
  -Djib.to.image="$IMAGE" -Djib.outputPaths.digest="$OUTPUT_DIR/digest"
printf '%s' "$repository" > "$OUTPUT_DIR/repository"
printf '%s' "$tag" > "$OUTPUT_DIR/tag"
echo "pushed $IMAGE@$(cat "$OUTPUT_DIR/digest")"
