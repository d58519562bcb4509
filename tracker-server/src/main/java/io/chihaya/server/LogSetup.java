package io.chihaya.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The tracker's logging, set up in code (found by logback through {@code META-INF/services}) instead
 * of a {@code logback.xml}: parsing XML with Joran took about 0.4 s of a start on one CPU
 * (bench/load/startup). One event per line on stderr, for systemd/journald, INFO and above; HikariCP
 * at WARN, and its {@code ProxyConnection} at ERROR, since the flush writers log one line per failed
 * batch and Hikari's stack traces would repeat it.
 *
 * <p>An operator's own file still wins: with {@code -Dlogback.configurationFile=/path/logback.xml}
 * (or a {@code logback-test.xml} on the class path, as in the tests) this does nothing and logback
 * reads that file as usual.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The layout of every line: time with its offset, level, logger's simple name, message. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} as described above. */
    static void install(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").setLevel(Level.ERROR);
    }
}
