package io.chihaya.bencode.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest's Implementation-Version, or "dev" when run from classes. */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = BencodeCommand.class.getPackage().getImplementationVersion();
        return new String[] {"bencode " + (version == null ? "dev" : version)};
    }
}
