package io.chihaya.bencode.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The program's three standard streams: binary stdin and stdout for the data (no charset ever
 * touches them) and a text stderr for the one-line messages.
 */
record Terminal(InputStream in, OutputStream out, PrintWriter err) {
}
