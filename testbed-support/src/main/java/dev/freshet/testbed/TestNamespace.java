package dev.freshet.testbed;

/** The namespace a test method runs in; created before the method and deleted after it. */
public record TestNamespace(String name) {}
