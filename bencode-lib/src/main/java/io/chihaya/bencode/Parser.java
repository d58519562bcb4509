package io.chihaya.bencode;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoding run over a byte array or a stream: the engine behind {@link BencodeReader}.
 *
 * <p>Iterative, with an explicit stack of open containers, so that nesting depth is bounded by
 * {@link BencodeOptions#maxDepth()} and never by the thread's stack. Byte arrays are read in
 * place; streams through an 8 KiB buffer, and a long string from a stream is read in growing
 * chunks, so that a declared length never causes an allocation larger than the bytes that
 * actually arrive (times two). Not thread-safe; one instance per call.
 */
final class Parser {
    private static final int STREAM_BUFFER = 8192;
    private static final int STRING_CHUNK = 64 * 1024;
    private static final long LONG_LIMIT = Long.MIN_VALUE / 10;

    private final BencodeOptions options;
    private final InputStream stream; // null for array input
    private byte[] buffer;
    private int position;
    private int limit;
    /** Offset in the input of {@code buffer[0]}; negative for a slice of a larger array. */
    private long base;

    private Parser(BencodeOptions options, InputStream stream, byte[] buffer, int position, int limit, long base) {
        this.options = options;
        this.stream = stream;
        this.buffer = buffer;
        this.position = position;
        this.limit = limit;
        this.base = base;
    }

    static Parser overArray(BencodeOptions options, byte[] input, int offset, int length) {
        return new Parser(options, null, input, offset, offset + length, -(long) offset);
    }

    static Parser overStream(BencodeOptions options, InputStream input) {
        return new Parser(options, input, new byte[STREAM_BUFFER], 0, 0, 0);
    }

    /** Decodes exactly one value that must span the whole input. */
    Object parseWhole() throws IOException {
        Object value = parseValue();
        if (peek() >= 0) {
            throw error(offset(), "trailing data after the top-level value: " + describeByte(peek()));
        }
        return value;
    }

    private static final class Frame {
        final long start;
        final List<Object> list;
        final Map<BString, Object> dict;
        BString previousKey;
        BString pendingKey;

        Frame(long start, boolean isDict) {
            this.start = start;
            this.list = isDict ? null : new ArrayList<>();
            this.dict = isDict ? new LinkedHashMap<>() : null;
        }

        Object container() {
            return dict != null ? dict : list;
        }

        String kind() {
            return dict != null ? "dictionary" : "list";
        }
    }

    private Object parseValue() throws IOException {
        ArrayList<Frame> stack = new ArrayList<>();
        Frame top = null;
        while (true) {
            long at = offset();
            int next = peek();
            Object value;
            if (top != null && next == 'e') {
                if (top.pendingKey != null) {
                    throw error(at, "dictionary key " + top.pendingKey.describeShort() + " has no value");
                }
                position++;
                value = top.container();
                stack.remove(stack.size() - 1);
                top = stack.isEmpty() ? null : stack.get(stack.size() - 1);
            } else if (top != null && top.dict != null && top.pendingKey == null) {
                if (next < 0) {
                    throw unterminated(top);
                }
                if (next < '0' || next > '9') {
                    throw error(at, "dictionary key must be a byte string, found " + describeByte(next));
                }
                BString key = readString();
                checkKeyOrder(top, key, at);
                top.pendingKey = key;
                continue;
            } else if (next == 'i') {
                value = readInteger();
            } else if (next >= '0' && next <= '9') {
                value = readString();
            } else if (next == 'l' || next == 'd') {
                if (stack.size() >= options.maxDepth()) {
                    throw error(at, "nesting deeper than " + options.maxDepth() + " levels");
                }
                position++;
                top = new Frame(at, next == 'd');
                stack.add(top);
                continue;
            } else if (next < 0) {
                if (top != null) {
                    throw unterminated(top);
                }
                throw error(at, "unexpected end of input, expected a value");
            } else {
                throw error(at, "unexpected " + describeByte(next) + ", expected a value (i, l, d or a digit)");
            }
            if (top == null) {
                return value;
            }
            if (top.dict != null) {
                top.dict.put(top.pendingKey, value); // lenient duplicates: the last value wins
                top.pendingKey = null;
            } else {
                top.list.add(value);
            }
        }
    }

    private BencodeException unterminated(Frame frame) {
        return error(offset(), "unexpected end of input: the " + frame.kind() + " starting at byte "
                + frame.start + " has no 'e'");
    }

    private void checkKeyOrder(Frame frame, BString key, long at) {
        BString previous = frame.previousKey;
        frame.previousKey = key;
        if (previous == null) {
            return;
        }
        int order = key.compareTo(previous);
        // in strict mode all earlier keys are smaller than previous, so only order <= 0 needs a lookup
        boolean duplicate = order == 0 || ((order < 0 || !options.strict()) && frame.dict.containsKey(key));
        String problem;
        if (duplicate) {
            problem = "duplicate dictionary key " + key.describeShort();
        } else if (order < 0) {
            problem = "dictionary key " + key.describeShort() + " is out of order (after " + previous.describeShort() + ")";
        } else {
            return;
        }
        if (options.strict()) {
            throw error(at, problem);
        }
        options.warnings().accept(new BencodeWarning(at, problem));
    }

    private Object readInteger() throws IOException {
        long start = offset();
        position++; // 'i'
        boolean negative = false;
        int next = peek();
        if (next == '-') {
            negative = true;
            position++;
            next = peek();
        }
        if (next == '0') {
            long zeroAt = offset();
            position++;
            int after = peek();
            if (after >= '0' && after <= '9') {
                throw error(zeroAt, "leading zero in integer");
            }
            if (negative && after == 'e') {
                throw error(zeroAt - 1, "negative zero (i-0e) is not allowed");
            }
            expectIntegerEnd(start);
            return 0L;
        }
        if (next < '1' || next > '9') {
            if (next < 0) {
                throw error(offset(), "unexpected end of input in the integer starting at byte " + start);
            }
            if (next == 'e' && !negative) {
                throw error(offset(), "empty integer (ie)");
            }
            throw error(offset(), "expected a digit" + (negative ? " after '-'" : " in integer") + ", found " + describeByte(next));
        }
        // accumulate as a negative number, whose range includes Long.MIN_VALUE
        long value = 0;
        StringBuilder bigDigits = null;
        int digits = 0;
        while (next >= '0' && next <= '9') {
            if (++digits > options.maxIntegerDigits()) {
                throw error(start, "integer longer than the limit of " + options.maxIntegerDigits() + " digits");
            }
            int digit = next - '0';
            if (bigDigits != null) {
                bigDigits.append((char) next);
            } else if (value < LONG_LIMIT || (value == LONG_LIMIT && digit > 8)) {
                bigDigits = new StringBuilder(40).append(negative ? "-" : "").append(Long.toString(value).substring(1)).append((char) next);
            } else {
                value = value * 10 - digit;
            }
            position++;
            next = peek();
        }
        expectIntegerEnd(start);
        if (bigDigits != null) {
            return new BigInteger(bigDigits.toString());
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? BigInteger.valueOf(value).negate() : -value;
    }

    private void expectIntegerEnd(long start) throws IOException {
        int next = peek();
        if (next == 'e') {
            position++;
            return;
        }
        if (next < 0) {
            throw error(offset(), "unexpected end of input in the integer starting at byte " + start + " (no 'e')");
        }
        throw error(offset(), "unexpected " + describeByte(next) + " in integer, expected a digit or 'e'");
    }

    private BString readString() throws IOException {
        long start = offset();
        int next = peek();
        if (next == '0') {
            position++;
            next = peek();
            if (next >= '0' && next <= '9') {
                throw error(start, "leading zero in string length");
            }
            expectColon(start);
            return new BString(new byte[0]);
        }
        long length = 0;
        while (next >= '0' && next <= '9') {
            length = length * 10 + (next - '0');
            if (length > options.maxStringLength()) {
                throw error(start, "string longer than the limit of " + options.maxStringLength() + " bytes");
            }
            position++;
            next = peek();
        }
        expectColon(start);
        return new BString(readBytes((int) length, start));
    }

    private void expectColon(long start) throws IOException {
        int next = peek();
        if (next == ':') {
            position++;
            return;
        }
        if (next < 0) {
            throw error(offset(), "unexpected end of input in the length of the string starting at byte " + start);
        }
        throw error(offset(), "unexpected " + describeByte(next) + " in string length, expected a digit or ':'");
    }

    private byte[] readBytes(int length, long start) throws IOException {
        int buffered = limit - position;
        if (buffered >= length) {
            byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
            position += length;
            return bytes;
        }
        if (stream == null) {
            throw truncated(start, length, buffered);
        }
        // grow with what actually arrives, so a huge declared length cannot force a huge allocation
        byte[] bytes = new byte[Math.min(length, buffered + STRING_CHUNK)];
        System.arraycopy(buffer, position, bytes, 0, buffered);
        long streamOffset = base + limit;
        int filled = buffered;
        while (filled < length) {
            if (filled == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(length, (long) bytes.length * 2));
            }
            int read = stream.read(bytes, filled, bytes.length - filled);
            if (read < 0) {
                base = streamOffset + (filled - buffered);
                position = 0;
                limit = 0;
                throw truncated(start, length, filled);
            }
            filled += read;
        }
        base = streamOffset + (filled - buffered);
        position = 0;
        limit = 0;
        return bytes;
    }

    private static BencodeException truncated(long start, int length, int available) {
        return error(start, "truncated string: " + length + " bytes declared, only " + available + " present");
    }

    private long offset() {
        return base + position;
    }

    /** The next byte (0-255) without consuming it, or -1 at the end of the input. */
    private int peek() throws IOException {
        if (position < limit) {
            return buffer[position] & 0xff;
        }
        return fill() ? buffer[position] & 0xff : -1;
    }

    private boolean fill() throws IOException {
        if (stream == null) {
            return false;
        }
        base += limit;
        position = 0;
        limit = 0;
        int read;
        do {
            read = stream.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        limit = read;
        return true;
    }

    private static BencodeException error(long at, String reason) {
        return new BencodeException(at, reason);
    }

    static String describeByte(int value) {
        if (value > 0x20 && value < 0x7f) {
            return "'" + (char) value + "'";
        }
        return String.format("byte 0x%02x", value);
    }
}
