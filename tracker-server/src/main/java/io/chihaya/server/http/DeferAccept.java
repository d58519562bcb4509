package io.chihaya.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;

/**
 * Linux's TCP_DEFER_ACCEPT on a listening socket. With it, the kernel keeps a new connection to
 * itself until the client sends its first bytes (or the given time passes), so the event loop is
 * not woken for a connection with nothing to read yet, and the request is already there when the
 * connection is accepted: a client that connects for each announce is then answered and closed
 * without its connection ever being registered with a selector.
 *
 * <p>Java 17 has no socket option for it. The JDK's own native setter, {@code sun.nio.ch.Net}, is
 * used through reflection; that needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, which
 * the chihaya jar's manifest gives ({@code Add-Opens}). Where that is missing, or on another
 * system, nothing changes but the log line: connections are then accepted as soon as they are
 * made, which is only slower.
 */
final class DeferAccept {
    private static final Logger LOG = LoggerFactory.getLogger(DeferAccept.class);
    /** IPPROTO_TCP and TCP_DEFER_ACCEPT in Linux's headers. */
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_DEFER_ACCEPT = 9;

    private DeferAccept() {
    }

    /** Sets TCP_DEFER_ACCEPT to {@code seconds} on {@code channel}; false where it cannot be set. */
    static boolean enable(ServerSocketChannel channel, int seconds) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            LOG.debug("TCP_DEFER_ACCEPT is Linux's; not set on {}", System.getProperty("os.name"));
            return false;
        }
        try {
            FileDescriptor fd = descriptor(channel);
            net("setIntOption0", FileDescriptor.class, boolean.class, int.class, int.class, int.class, boolean.class)
                    .invoke(null, fd, false, IPPROTO_TCP, TCP_DEFER_ACCEPT, seconds, false);
            int value = (Integer) net("getIntOption0", FileDescriptor.class, boolean.class, int.class, int.class)
                    .invoke(null, fd, false, IPPROTO_TCP, TCP_DEFER_ACCEPT);
            LOG.debug("TCP_DEFER_ACCEPT set to {} s (the kernel reads back {} s)", seconds, value);
            return value > 0;
        } catch (InvocationTargetException e) {
            LOG.warn("could not set TCP_DEFER_ACCEPT ({}); new connections are accepted at once", e.getCause());
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Typically InaccessibleObjectException: the JVM was started without the Add-Opens.
            LOG.info("TCP_DEFER_ACCEPT not available ({}); new connections are accepted at once. "
                    + "Run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED to have it", e.toString());
            return false;
        }
    }

    /** A static method of the JDK's {@code sun.nio.ch.Net}, made callable. */
    private static Method net(String name, Class<?>... parameters) throws ReflectiveOperationException {
        Method method = Class.forName("sun.nio.ch.Net").getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }

    private static FileDescriptor descriptor(ServerSocketChannel channel) throws ReflectiveOperationException {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        return (FileDescriptor) getFd.invoke(channel);
    }
}
