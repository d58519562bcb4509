package io.chihaya.bencode.cli;

public final class BencodeCommand {
    public static void main(String[] args) {
    }
}
