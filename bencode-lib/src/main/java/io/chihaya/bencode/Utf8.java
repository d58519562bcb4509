package io.chihaya.bencode;

/**
 * Strict UTF-8 checks and allocation-free encoding, shared by the writer and the JSON bridge.
 *
 * <p>"Valid" means exactly what {@code new String(bytes, UTF_8).getBytes(UTF_8)} maps back to
 * the same bytes: shortest form only, no encoded surrogates, nothing above U+10FFFF.
 */
final class Utf8 {
    private Utf8() {
    }

    static boolean isValid(byte[] bytes, int offset, int length) {
        int index = offset;
        int end = offset + length;
        while (index < end) {
            int lead = bytes[index] & 0xff;
            if (lead < 0x80) {
                index++;
                continue;
            }
            int size;
            int secondLow = 0x80;
            int secondHigh = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                size = 2;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                size = 3;
                if (lead == 0xe0) {
                    secondLow = 0xa0; // shorter forms are overlong
                } else if (lead == 0xed) {
                    secondHigh = 0x9f; // U+D800..U+DFFF are surrogates
                }
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                size = 4;
                if (lead == 0xf0) {
                    secondLow = 0x90; // overlong
                } else if (lead == 0xf4) {
                    secondHigh = 0x8f; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (end - index < size) {
                return false;
            }
            int second = bytes[index + 1] & 0xff;
            if (second < secondLow || second > secondHigh) {
                return false;
            }
            for (int continuation = 2; continuation < size; continuation++) {
                if ((bytes[index + continuation] & 0xc0) != 0x80) {
                    return false;
                }
            }
            index += size;
        }
        return true;
    }

    /**
     * The number of bytes {@link #encode} writes: the same as {@code String.getBytes(UTF_8)},
     * which turns an unpaired surrogate into a single {@code '?'}.
     */
    static int encodedLength(CharSequence text) {
        int length = text.length();
        int bytes = length;
        for (int index = 0; index < length; index++) {
            char c = text.charAt(index);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && index + 1 < length
                    && Character.isLowSurrogate(text.charAt(index + 1))) {
                bytes += 2; // two chars become four bytes
                index++;
            } else if (Character.isSurrogate(c)) {
                continue; // unpaired: one '?'
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Writes {@code text} as UTF-8 at {@code position}; returns the position after it. */
    static int encode(CharSequence text, byte[] target, int position) {
        int length = text.length();
        int out = position;
        for (int index = 0; index < length; index++) {
            char c = text.charAt(index);
            if (c < 0x80) {
                target[out++] = (byte) c;
            } else if (c < 0x800) {
                target[out++] = (byte) (0xc0 | (c >> 6));
                target[out++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && index + 1 < length
                    && Character.isLowSurrogate(text.charAt(index + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++index));
                target[out++] = (byte) (0xf0 | (codePoint >> 18));
                target[out++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                target[out++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                target[out++] = (byte) (0x80 | (codePoint & 0x3f));
            } else if (Character.isSurrogate(c)) {
                target[out++] = '?';
            } else {
                target[out++] = (byte) (0xe0 | (c >> 12));
                target[out++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                target[out++] = (byte) (0x80 | (c & 0x3f));
            }
        }
        return out;
    }

    /** True when {@code text} has a surrogate that is not part of a pair (UTF-8 cannot hold it). */
    static boolean hasUnpairedSurrogate(CharSequence text) {
        int length = text.length();
        for (int index = 0; index < length; index++) {
            char c = text.charAt(index);
            if (Character.isHighSurrogate(c) && index + 1 < length
                    && Character.isLowSurrogate(text.charAt(index + 1))) {
                index++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
