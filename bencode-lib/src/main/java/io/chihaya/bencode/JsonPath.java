package io.chihaya.bencode;

/**
 * A JSON path like {@code $.info.files[0]["piece length"]}, built as a linked list while
 * walking the tree and turned into text only for an error message.
 */
final class JsonPath {
    static final JsonPath ROOT = new JsonPath(null, null, -1);

    private final JsonPath parent;
    private final String key;
    private final int index;

    private JsonPath(JsonPath parent, String key, int index) {
        this.parent = parent;
        this.key = key;
        this.index = index;
    }

    JsonPath key(String name) {
        return new JsonPath(this, name, -1);
    }

    JsonPath index(int position) {
        return new JsonPath(this, null, position);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        append(text);
        return text.toString();
    }

    private void append(StringBuilder text) {
        if (parent == null) {
            text.append('$');
            return;
        }
        parent.append(text);
        if (key == null) {
            text.append('[').append(index).append(']');
        } else if (isIdentifier(key)) {
            text.append('.').append(key);
        } else {
            text.append("[\"");
            for (int at = 0; at < key.length(); at++) {
                char c = key.charAt(at);
                if (c == '"' || c == '\\') {
                    text.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                    text.append(String.format("\\u%04x", (int) c));
                } else {
                    text.append(c);
                }
            }
            text.append("\"]");
        }
    }

    private static boolean isIdentifier(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            return false;
        }
        for (int at = 1; at < name.length(); at++) {
            char c = name.charAt(at);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
