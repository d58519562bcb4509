package io.chihaya.cachecli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Runs {@code cc} in this JVM with captured streams, as a test would run the program. */
final class Cc {
    static final Instant NOW = Instant.parse("2024-05-06T07:08:09Z");

    private Cc() {
    }

    /** What one run produced. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = CcCommand.run(args, new ByteArrayInputStream(stdin), out, new PrintWriter(err, true), false,
                Clock.fixed(NOW, ZoneOffset.UTC));
        return new Result(code, out.toByteArray(), err.toString());
    }

    static Result run(String... args) {
        return run(new byte[0], args);
    }
}
