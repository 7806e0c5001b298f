package dev.jgi.conformance.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic test bytes and digests shared by the conformance application and the cases, so
 * that large bodies can be checked byte for byte without shipping them.
 */
public final class TestData {

    private TestData() {
    }

    /**
     * Returns {@code n} pseudo-random bytes determined by {@code seed} (xorshift), covering all
     * 256 byte values, CR, LF and NUL included.
     *
     * @param seed the seed
     * @param n how many bytes
     * @return the bytes
     */
    public static byte[] bytes(long seed, int n) {
        byte[] out = new byte[n];
        fill(seed, 0, out, 0, n);
        return out;
    }

    /**
     * Fills {@code dst} with the bytes at {@code offset..offset+len} of the {@code seed} sequence.
     *
     * @param seed the seed
     * @param offset the position in the sequence
     * @param dst the array to fill
     * @param dstOff where to start in {@code dst}
     * @param len how many bytes
     */
    public static void fill(long seed, long offset, byte[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = at(seed, offset + i);
        }
    }

    /**
     * Returns the byte at {@code position} of the {@code seed} sequence; random access, so a file
     * region can be checked without generating what precedes it.
     *
     * @param seed the seed
     * @param position the position
     * @return the byte
     */
    public static byte at(long seed, long position) {
        long x = position * 0x9E3779B97F4A7C15L + seed * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        x ^= x >>> 31;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return (byte) x;
    }

    /**
     * @param bytes the data
     * @return its SHA-256 as lower-case hex
     */
    public static String sha256(byte[] bytes) {
        MessageDigest md = sha256();
        md.update(bytes);
        return hex(md.digest());
    }

    /** @return a fresh SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * @param digest digest bytes
     * @return lower-case hex
     */
    public static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder(digest.length * 2);
        for (byte b : digest) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /**
     * Percent-encodes bytes for the conformance protocol headers: every byte outside
     * {@code [A-Za-z0-9._~/:=-]} becomes {@code %XX} (spaces too, which a server may trim).
     *
     * @param bytes the bytes
     * @return the encoded text, plain ASCII
     */
    public static String pct(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~'
                    || c == '-' || c == '/' || c == ':' || c == '=') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * @param text the text, encoded as UTF-8 first
     * @return {@link #pct(byte[])} of it
     */
    public static String pct(String text) {
        return pct(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes {@link #pct(byte[])} text.
     *
     * @param s the text
     * @return the bytes
     * @throws IllegalArgumentException on a malformed escape
     */
    public static byte[] unpct(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated escape in " + s);
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("malformed escape in " + s);
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * @param s percent-encoded UTF-8 text
     * @return the decoded text
     */
    public static String unpctText(String s) {
        return new String(unpct(s), StandardCharsets.UTF_8);
    }
}
