package io.chihaya.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {
    @Test
    void logbackFindsItThroughTheServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class)).anyMatch(LogSetup.class::isInstance);
    }

    @Test
    void aLogbackTestFileOnTheClassPathIsLeftToLogback() {
        // src/test/resources holds logback-test.xml, as an operator's -Dlogback.configurationFile would.
        LoggerContext context = new LoggerContext();
        LogSetup setup = new LogSetup();
        setup.setContext(context);
        assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void withoutAFileItLogsOneLinePerEventToStderrAtInfo() {
        LoggerContext context = new LoggerContext();
        LogSetup.install(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("com.zaxxer.hikari").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.zaxxer.hikari.pool.HikariPool").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").isWarnEnabled()).isFalse();
        assertThat(context.getLogger("io.chihaya.server.TrackerServer").isInfoEnabled()).isTrue();
        var appender = (ch.qos.logback.core.ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((ch.qos.logback.classic.encoder.PatternLayoutEncoder) appender.getEncoder()).getPattern())
                .isEqualTo(LogSetup.PATTERN);
    }
}
