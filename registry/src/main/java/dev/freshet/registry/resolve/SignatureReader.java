package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidReferenceException;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.RegistryCall;
import dev.freshet.registry.http.RegistryResponse;
import dev.freshet.registry.http.RegistryTransport;
import dev.freshet.registry.signature.SignatureEnvelope;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the cosign signatures a registry holds for one digest, wherever cosign may have put them:
 * the classic {@code sha256-<hex>.sig} tag; the OCI 1.1 referrers API ({@code GET
 * /v2/<name>/referrers/<digest>}); and, for registries without that API (CNCF distribution 2.x),
 * the referrers tag schema ({@code sha256-<hex>} holding an index of referrers). Nothing here
 * verifies: a signature is only data until {@code KeyVerifier} checked it.
 */
final class SignatureReader {
  static final String COSIGN_SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  static final String COSIGN_SIG_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
  static final String BUNDLE_PREFIX = "application/vnd.dev.sigstore.bundle";

  /**
   * Signature manifests and payload blobs read per digest at most: a repository with more referrers
   * than this is either hostile or needs a cleanup, and each extra one costs a request.
   */
  static final int MAX_SIGNATURES = 16;

  private final RegistryTransport transport;

  SignatureReader(RegistryTransport transport) {
    this.transport = transport;
  }

  List<SignatureEnvelope> read(
      ImageReference repository, Digest digest, Optional<Credential> credential) {
    List<SignatureEnvelope> found = new ArrayList<>();
    String tagBase = digest.algorithm() + "-" + digest.encoded();
    String sigTag = tagBase + ".sig";
    optionalManifest(repository, sigTag, credential)
        .ifPresent(
            manifest -> collectLayers(repository, manifest, "tag " + sigTag, credential, found));
    for (JsonNode referrer : referrers(repository, digest, tagBase, credential)) {
      if (found.size() >= MAX_SIGNATURES) {
        break;
      }
      String artifactType = referrer.path("artifactType").asText("");
      if (!artifactType.equals(COSIGN_SIG_ARTIFACT) && !artifactType.startsWith(BUNDLE_PREFIX)) {
        continue; // an SBOM, an attestation of another kind: not a signature
      }
      String referrerDigest = referrer.path("digest").asText("");
      optionalManifest(repository, referrerDigest, credential)
          .ifPresent(
              manifest ->
                  collectLayers(
                      repository, manifest, "referrer " + referrerDigest, credential, found));
    }
    return found;
  }

  /**
   * The referrers index's entries: from the API when the registry has it, else from the fallback
   * tag. A registry without the API answers 404 (distribution 2.x) or 400/405 on some proxies, all
   * of which the transport reports as not found or invalid: both mean "ask the tag".
   */
  private List<JsonNode> referrers(
      ImageReference repository, Digest digest, String fallbackTag, Optional<Credential> cred) {
    JsonNode index;
    try {
      URI uri =
          transport
              .apiBase(repository.registry())
              .resolve(repository.repository() + "/referrers/" + digest);
      RegistryResponse response =
          transport.send(
              new RegistryCall(
                  repository.registry(),
                  "GET",
                  uri,
                  List.of(MediaTypes.OCI_INDEX),
                  Calls.pullScope(repository),
                  cred,
                  Priority.BACKGROUND,
                  ManifestBodies.MAX_MANIFEST_BYTES));
      index = ManifestBodies.json(repository.registry(), response);
    } catch (NotFoundException | InvalidResponseException noApi) {
      index = optionalManifest(repository, fallbackTag, cred).orElse(null);
    }
    List<JsonNode> entries = new ArrayList<>();
    if (index != null) {
      index.path("manifests").forEach(entries::add);
    }
    return entries;
  }

  private Optional<JsonNode> optionalManifest(
      ImageReference repository, String reference, Optional<Credential> credential) {
    ImageReference ref;
    try {
      ref =
          reference.contains(":")
              ? repository.withDigest(Digest.parse(reference))
              : repository.withTag(reference);
    } catch (IllegalArgumentException e) { // InvalidReferenceException among them
      throw new InvalidResponseException(
          repository.registry(), "a referrer names \"" + reference + "\", which is no digest");
    }
    try {
      RegistryResponse response =
          transport.send(Calls.manifest(transport, ref, "GET", credential, Priority.BACKGROUND));
      ManifestBodies.verifiedDigest(ref.registry(), response, ref.digest());
      return Optional.of(ManifestBodies.json(ref.registry(), response));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private void collectLayers(
      ImageReference repository,
      JsonNode manifest,
      String source,
      Optional<Credential> credential,
      List<SignatureEnvelope> found) {
    for (JsonNode layer : manifest.path("layers")) {
      if (found.size() >= MAX_SIGNATURES) {
        return;
      }
      String mediaType = layer.path("mediaType").asText("");
      String signature = layer.path("annotations").path(COSIGN_SIGNATURE_ANNOTATION).asText("");
      boolean bundle = mediaType.startsWith(BUNDLE_PREFIX);
      if (signature.isEmpty() && !bundle) {
        continue; // not a signature layer (a certificate chain, an attachment)
      }
      Digest blobDigest;
      try {
        blobDigest = Digest.parse(layer.path("digest").asText(""));
      } catch (InvalidReferenceException e) {
        throw new InvalidResponseException(
            repository.registry(), "a signature layer in " + source + " has no usable digest");
      }
      RegistryResponse blob =
          transport.send(
              Calls.blob(transport, repository, blobDigest, credential, Priority.BACKGROUND));
      ManifestBodies.verifiedDigest(repository.registry(), blob, Optional.of(blobDigest));
      found.add(
          bundle
              ? new SignatureEnvelope.Bundle(blob.body(), source)
              : new SignatureEnvelope.SimpleSigning(blob.body(), signature, source));
    }
  }
}
