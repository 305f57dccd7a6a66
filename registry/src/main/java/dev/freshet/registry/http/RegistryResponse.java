package dev.freshet.registry.http;

import java.net.URI;
import java.net.http.HttpHeaders;

/** A successful (2xx) answer, its body already read within the call's limit. */
public record RegistryResponse(int status, HttpHeaders headers, byte[] body, URI uri) {}
