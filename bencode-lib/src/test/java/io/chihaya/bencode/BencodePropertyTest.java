package io.chihaya.bencode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests over thousands of generated cases. Each case has its own seed, printed when it
 * fails; rerun exactly that case with {@code -Dbencode.seed=<seed>}.
 */
class BencodePropertyTest {
    private static final Long REPLAY_SEED = Long.getLong("bencode.seed");
    private static final long BASE_SEED = new Random().nextLong();

    private final BencodeReader strict = new BencodeReader();
    private final BencodeReader lenient = new BencodeReader(BencodeOptions.defaults().lenient());
    private final BencodeJson json = new BencodeJson();

    interface Case {
        void run(Random random, long seed) throws Exception;
    }

    private static void forEachSeed(int cases, Case body) {
        int count = REPLAY_SEED != null ? 1 : cases;
        for (int index = 0; index < count; index++) {
            long seed = REPLAY_SEED != null ? REPLAY_SEED : BASE_SEED + index;
            try {
                body.run(new Random(seed), seed);
            } catch (Throwable failure) {
                throw new AssertionError("case failed with seed " + seed + " (rerun with -Dbencode.seed=" + seed + "): " + failure, failure);
            }
        }
    }

    @Test
    void writtenValuesReadBackEqualAndCanonical() {
        forEachSeed(5_000, (random, seed) -> {
            Object value = new RandomValues(random).value(4);
            byte[] encoded = Bencode.encode(value);
            Object decoded = strict.decode(encoded);
            assertThat(decoded).as("seed %d", seed).isEqualTo(value);
            assertThat(Bencode.encode(decoded)).as("seed %d", seed).isEqualTo(encoded);
            assertThat(strict.decode(new BencodeReaderTest.Trickle(encoded, 1 + random.nextInt(7))))
                    .as("seed %d (stream)", seed).isEqualTo(value);
        });
    }

    @Test
    void bencodeSurvivesTheJsonBridgeByteForByte() {
        forEachSeed(5_000, (random, seed) -> {
            byte[] encoded = Bencode.encode(new RandomValues(random).value(4));
            String text = json.bencodeToJson(encoded);
            assertThat(json.jsonToBencode(text)).as("seed %d, JSON %s", seed, text).isEqualTo(encoded);
        });
    }

    @Test
    void randomBytesOnlyEverRaiseBencodeException() {
        byte[] alphabet = "ilde0123456789:-ab".getBytes(StandardCharsets.US_ASCII);
        forEachSeed(10_000, (random, seed) -> {
            byte[] input = new byte[random.nextInt(48)];
            for (int index = 0; index < input.length; index++) {
                input[index] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            checkArbitraryInput(input, random, seed);
        });
    }

    @Test
    void mutatedValidInputOnlyEverRaisesBencodeException() {
        forEachSeed(5_000, (random, seed) -> {
            byte[] input = Bencode.encode(new RandomValues(random).value(3));
            int mutations = 1 + random.nextInt(3);
            for (int mutation = 0; mutation < mutations && input.length > 0; mutation++) {
                int at = random.nextInt(input.length);
                switch (random.nextInt(4)) {
                    case 0 -> input[at] = (byte) random.nextInt(256);
                    case 1 -> input = Arrays.copyOf(input, at); // truncate
                    case 2 -> input[at] = (byte) "0123456789ilde:-".charAt(random.nextInt(16));
                    default -> { // duplicate a slice, which often yields duplicate or unsorted keys
                        int end = at + random.nextInt(input.length - at + 1);
                        byte[] grown = new byte[input.length + (end - at)];
                        System.arraycopy(input, 0, grown, 0, end);
                        System.arraycopy(input, at, grown, end, input.length - at);
                        input = grown;
                    }
                }
            }
            checkArbitraryInput(input, random, seed);
        });
    }

    /** Arrays and streams must agree (same value or same message); anything decoded survives JSON. */
    private void checkArbitraryInput(byte[] input, Random random, long seed) throws IOException {
        for (BencodeReader reader : new BencodeReader[] {strict, lenient}) {
            Object fromArray;
            try {
                fromArray = reader.decode(input);
            } catch (BencodeException rejected) {
                assertThat(rejected.getMessage()).as("seed %d", seed).doesNotContain("\n").startsWith("invalid bencode at byte ");
                assertThat(rejected.offset()).as("seed %d", seed).isBetween(0L, (long) input.length);
                try {
                    reader.decode(new BencodeReaderTest.Trickle(input, 1 + random.nextInt(5)));
                    throw new AssertionError("stream accepted what the array rejected: " + rejected.getMessage());
                } catch (BencodeException alsoRejected) {
                    assertThat(alsoRejected.getMessage()).as("seed %d", seed).isEqualTo(rejected.getMessage());
                }
                continue;
            }
            assertThat(reader.decode(new BencodeReaderTest.Trickle(input, 1 + random.nextInt(5))))
                    .as("seed %d", seed).isEqualTo(fromArray);
            byte[] canonical = Bencode.encode(fromArray);
            if (reader == strict) {
                assertThat(canonical).as("seed %d: strict input is canonical", seed).isEqualTo(input);
            }
            assertThat(json.jsonToBencode(json.toJsonString(fromArray))).as("seed %d", seed).isEqualTo(canonical);
        }
    }

    @Test
    void junkJsonOnlyEverRaisesBencodeException() {
        forEachSeed(5_000, (random, seed) -> {
            String text = new RandomValues(random).jsonish(random.nextInt(30));
            try {
                byte[] encoded = json.jsonToBencode(text);
                assertThat(strict.decode(encoded)).as("seed %d", seed).isNotNull();
            } catch (BencodeException rejected) {
                assertThat(rejected.getMessage()).as("seed %d", seed).doesNotContain("\n");
            }
        });
    }

    @Test
    void writerTextMatchesTheJdkUtf8Encoder() {
        forEachSeed(5_000, (random, seed) -> {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int index = 0; index < length; index++) {
                // any char at all, unpaired surrogates included
                text.append(random.nextInt(3) == 0 ? (char) (0xd800 + random.nextInt(0x800)) : (char) random.nextInt(0x10000));
            }
            String string = text.toString();
            byte[] expected = string.getBytes(StandardCharsets.UTF_8);
            byte[] written = new BencodeWriter(0).string(string).toByteArray();
            assertThat(written).as("seed %d", seed)
                    .isEqualTo(BencodeWriterTest.concat((expected.length + ":").getBytes(StandardCharsets.US_ASCII), expected));
        });
    }

    @Test
    void utf8CheckAgreesWithTheJdkDecoder() {
        forEachSeed(20_000, (random, seed) -> {
            byte[] bytes = new byte[random.nextInt(8)];
            for (int index = 0; index < bytes.length; index++) {
                // bias towards lead and continuation bytes so multi-byte sequences are common
                bytes[index] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            boolean jdkValid;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                jdkValid = Arrays.equals(new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), bytes);
            } catch (CharacterCodingException invalid) {
                jdkValid = false;
            }
            assertThat(BString.of(bytes).isUtf8()).as("seed %d, bytes %s", seed, Arrays.toString(bytes)).isEqualTo(jdkValid);
        });
    }

    @Test
    void integersMatchTheirDecimalText() {
        forEachSeed(5_000, (random, seed) -> {
            long value = switch (random.nextInt(3)) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(2001) - 1000;
                default -> random.nextLong() >> random.nextInt(64);
            };
            BigInteger big = new BigInteger(1 + random.nextInt(300), random);
            big = random.nextBoolean() ? big.negate() : big;
            byte[] written = new BencodeWriter(0).integer(value).integer(big).toByteArray();
            assertThat(new String(written, StandardCharsets.US_ASCII)).as("seed %d", seed)
                    .isEqualTo("i" + value + "ei" + big + "e");
        });
    }
}
