package io.chihaya.bencode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Generates random bencode values (as the reader returns them) from a seeded {@link Random}. */
final class RandomValues {
    private static final String[] RESERVED = {BencodeJson.BYTES_KEY, BencodeJson.DICT_KEY};

    private final Random random;

    RandomValues(Random random) {
        this.random = random;
    }

    Object value(int depthLeft) {
        int kind = random.nextInt(depthLeft > 0 ? 5 : 3);
        return switch (kind) {
            case 0 -> integer();
            case 1, 2 -> string();
            case 3 -> list(depthLeft - 1);
            default -> dict(depthLeft - 1);
        };
    }

    Object integer() {
        return switch (random.nextInt(6)) {
            case 0 -> (long) random.nextInt(21) - 10;
            case 1 -> random.nextLong();
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 3 -> {
                BigInteger big = new BigInteger(64 + random.nextInt(200), random);
                BigInteger value = random.nextBoolean() ? big.negate() : big;
                // keep the reader's contract: BigInteger only when the value does not fit a long
                yield value.bitLength() < 64 ? (Object) value.longValue() : value;
            }
            case 4 -> (long) random.nextInt();
            default -> 0L;
        };
    }

    BString string() {
        return switch (random.nextInt(6)) {
            case 0 -> BString.of("");
            case 1 -> BString.of(text(random.nextInt(12)));
            case 2 -> BString.of(bytes(random.nextInt(40)));
            case 3 -> BString.of(RESERVED[random.nextInt(RESERVED.length)]);
            case 4 -> BString.of(bytes(20)); // an info hash or peer id
            default -> BString.of("name" + random.nextInt(100));
        };
    }

    String text(int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < codePoints; index++) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5f);
                case 1 -> random.nextInt(0x80);
                case 2 -> 0x80 + random.nextInt(0xd800 - 0x80);
                default -> 0xe000 + random.nextInt(0x110000 - 0xe000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    List<Object> list(int depthLeft) {
        int size = random.nextInt(5);
        List<Object> list = new ArrayList<>(size);
        for (int index = 0; index < size; index++) {
            list.add(value(depthLeft));
        }
        return list;
    }

    Map<BString, Object> dict(int depthLeft) {
        TreeMap<BString, Object> sorted = new TreeMap<>();
        if (random.nextInt(8) == 0) {
            sorted.put(BString.of(RESERVED[random.nextInt(RESERVED.length)]), value(depthLeft));
        } else {
            int size = random.nextInt(5);
            for (int index = 0; index < size; index++) {
                sorted.put(string(), value(depthLeft));
            }
        }
        return new LinkedHashMap<>(sorted);
    }

    /** A random string of a JSON-looking alphabet, for feeding the JSON parser junk. */
    String jsonish(int length) {
        String alphabet = "{}[]\":,0123456789-.eE truefalsnl\\u_bytesdict";
        StringBuilder text = new StringBuilder(length);
        for (int index = 0; index < length; index++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
