// njs (nginx JavaScript) helper for deploy/nginx-shards.conf: the shard key of a request is its
// info_hash as 40 lower-case hex digits.
//
// Why not `hash $arg_info_hash consistent;` on its own: $arg_info_hash is the value as the client
// wrote it, still percent-encoded, and clients encode the same 20 bytes differently (`%7E` or `~`,
// `%7e` or `%7E`, `%41` or `A`). Hashing that text would send one torrent to several trackers,
// each with part of the swarm, overwriting each other's Seeders/Leechers. Decoding first makes the
// key depend on the bytes only.

function hexByte(b) {
    return (b < 16 ? '0' : '') + b.toString(16);
}

function hexValue(c) {
    if (c >= 48 && c <= 57) return c - 48;        // 0-9
    if (c >= 97 && c <= 102) return c - 87;       // a-f
    if (c >= 65 && c <= 70) return c - 55;        // A-F
    return -1;
}

// The first info_hash in the raw query, decoded to 20 bytes and written as hex; '' when there is
// none of 20 bytes (the tracker then answers "missing info_hash", whichever shard it reaches).
function shardKey(r) {
    var query = r.variables.args || '';
    var pairs = query.split('&');
    for (var i = 0; i < pairs.length; i++) {
        // The tracker wants the key spelled exactly "info_hash" (SPEC 4.1).
        if (pairs[i].substring(0, 10) !== 'info_hash=') {
            continue;
        }
        var value = pairs[i].substring(10);
        var hex = '';
        var bytes = 0;
        for (var j = 0; j < value.length; j++) {
            var c = value.charCodeAt(j);
            var b;
            if (c === 37) {                        // '%'
                var hi = j + 1 < value.length ? hexValue(value.charCodeAt(j + 1)) : -1;
                var lo = j + 2 < value.length ? hexValue(value.charCodeAt(j + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    return '';
                }
                b = hi * 16 + lo;
                j += 2;
            } else if (c === 43) {                 // '+' is a space
                b = 32;
            } else {
                b = c & 0xff;
            }
            hex += hexByte(b);
            bytes++;
        }
        if (bytes === 20) {
            return hex;
        }
    }
    return '';
}

export default {shardKey};
