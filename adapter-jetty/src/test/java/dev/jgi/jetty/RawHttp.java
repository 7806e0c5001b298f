package dev.jgi.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A raw-socket HTTP/1.x client for wire-level checks: what exactly the server sent. */
final class RawHttp {

    /** Generous: only for liveness, never for speed. */
    static final int TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** Sends {@code request} (CRLFs included) and reads until the server closes the connection. */
    static Response exchange(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return Response.parse(readAll(s.getInputStream()));
        }
    }

    /** Reads until end of stream; a reset after some bytes counts as the end. */
    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }

    /** Reads one CRLF-terminated line (without the CRLF), or null at end of stream. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** One parsed response. */
    static final class Response {
        final String statusLine;
        final int status;
        final List<String[]> headers;
        final byte[] body;
        /** Whether the body's framing completed: the last chunk, or all Content-Length bytes. */
        final boolean complete;
        /** Bytes after this response (a second response on the same connection). */
        final byte[] rest;

        private Response(String statusLine, List<String[]> headers, byte[] body, boolean complete, byte[] rest) {
            this.statusLine = statusLine;
            this.status = Integer.parseInt(statusLine.split(" ")[1]);
            this.headers = headers;
            this.body = body;
            this.complete = complete;
            this.rest = rest;
        }

        /** Parses a response to a non-HEAD request from everything the connection delivered. */
        static Response parse(byte[] raw) {
            return parse(raw, false);
        }

        static Response parse(byte[] raw, boolean head) {
            String all = new String(raw, StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no complete response head in: " + all);
            }
            String[] lines = all.substring(0, end).split("\r\n");
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()});
            }
            int pos = end + 4;
            String te = first(headers, "Transfer-Encoding");
            String cl = first(headers, "Content-Length");
            int code = Integer.parseInt(lines[0].split(" ")[1]);
            if (head || code == 204 || code == 304 || code < 200) {
                return new Response(lines[0], headers, new byte[0], true, java.util.Arrays.copyOfRange(raw, pos, raw.length));
            }
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    int lineEnd = all.indexOf("\r\n", pos);
                    if (lineEnd < 0) {
                        return new Response(lines[0], headers, body.toByteArray(), false, new byte[0]);
                    }
                    int size = Integer.parseInt(all.substring(pos, lineEnd).split(";")[0].trim(), 16);
                    pos = lineEnd + 2;
                    if (size == 0) {
                        int trailerEnd = all.indexOf("\r\n", pos);
                        boolean done = trailerEnd >= 0;
                        return new Response(lines[0], headers, body.toByteArray(), done,
                                done ? java.util.Arrays.copyOfRange(raw, trailerEnd + 2, raw.length) : new byte[0]);
                    }
                    if (pos + size + 2 > raw.length) {
                        body.write(raw, pos, Math.min(size, raw.length - pos));
                        return new Response(lines[0], headers, body.toByteArray(), false, new byte[0]);
                    }
                    body.write(raw, pos, size);
                    pos += size + 2;
                }
            }
            if (cl != null) {
                int n = Integer.parseInt(cl);
                int have = Math.min(n, raw.length - pos);
                return new Response(lines[0], headers, java.util.Arrays.copyOfRange(raw, pos, pos + have), have == n,
                        java.util.Arrays.copyOfRange(raw, pos + have, raw.length));
            }
            return new Response(lines[0], headers, java.util.Arrays.copyOfRange(raw, pos, raw.length), true, new byte[0]);
        }

        String header(String name) {
            return first(headers, name);
        }

        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    out.add(h[1]);
                }
            }
            return out;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        private static String first(List<String[]> headers, String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return statusLine + " " + headers.size() + " headers, " + body.length + " body bytes, complete=" + complete;
        }
    }
}
