package dev.stepwise.cli;

import picocli.CommandLine.Option;

/** The flag every client command shares. */
final class ClientOptions {
  @Option(names = "--url", paramLabel = "URL", description = "The server (default: the stored login, or http://localhost:8000).")
  String url;

  Credentials credentials() {
    return Credentials.load(System.getenv(), url);
  }
}
