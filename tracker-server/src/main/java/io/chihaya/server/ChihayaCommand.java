package io.chihaya.server;

public final class ChihayaCommand {
    public static void main(String[] args) {
    }
}
