package dev.jgi.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A minimal blocking HTTP/1.1 client over a raw socket, for the same-bytes check and the startup
 * probe: it sends the request exactly as given and returns the response as received (status line,
 * header fields in order, body de-chunked).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * A response.
     *
     * @param statusLine the status line, without CRLF
     * @param headers the header fields, each {name, value}, in order
     * @param body the body
     */
    public record Response(String statusLine, List<String[]> headers, byte[] body) {
        /** @return the status code */
        public int status() {
            return Integer.parseInt(statusLine.substring(9, 12));
        }

        /**
         * The canonical form the same-bytes check compares: the status line, the set of header
         * fields (names as sent, Date's value masked), the body's length and SHA-256.
         *
         * @return the canonical text
         */
        public String canonical() {
            TreeSet<String> set = new TreeSet<>();
            for (String[] h : headers) {
                set.add(h[0] + ": " + (h[0].equalsIgnoreCase("Date") ? "<masked>" : h[1]));
            }
            StringBuilder sb = new StringBuilder(statusLine).append('\n');
            for (String s : set) {
                sb.append(s).append('\n');
            }
            sb.append("body: ").append(body.length).append(" bytes, sha256 ").append(sha256(body));
            return sb.toString();
        }
    }

    /**
     * Sends one request on a new connection and reads the response.
     *
     * @param port the server port on 127.0.0.1
     * @param head the request head, as {@link Workload#requestHead} makes it
     * @param body the request body, or an empty array
     * @param timeoutMillis connect and read timeout
     * @return the response
     * @throws IOException if the exchange failed
     */
    public static Response exchange(int port, byte[] head, byte[] body, int timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(head);
            if (body.length > 0) {
                out.write(body);
            }
            out.flush();
            return read(new java.io.BufferedInputStream(s.getInputStream(), 65536));
        }
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        List<String[]> headers = new ArrayList<>();
        long length = -1;
        boolean chunked = false;
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon);
            String value = l.substring(colon + 1).trim();
            headers.add(new String[] {name, value});
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (lower.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                String size = line(in);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (length >= 0) {
            byte[] b = in.readNBytes((int) length);
            if (b.length < length) {
                throw new EOFException("body ended after " + b.length + " of " + length + " bytes");
            }
            body.write(b);
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param s text
     * @return its US-ASCII bytes
     */
    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
