package io.chihaya.cachecli;

public final class CcCommand {
    public static void main(String[] args) {
    }
}
