package dev.jgi.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * An open-loop, fixed-rate HTTP/1.1 load client (what wrk2 does; wrk2 is not packaged for Debian):
 * requests are sent on a fixed schedule over keep-alive connections, and each latency is measured
 * from the request's <em>intended</em> send time, not from when it could actually be sent, so a
 * server stall shows in the percentiles instead of slowing the client down (no coordinated omission).
 *
 * <p>Connection {@code i} of {@code c} owns the intended times {@code start + (k*c + i)/rate}. A
 * connection carries one request at a time (no pipelining); if its previous response is late, the
 * next request leaves as soon as it arrives, still timed from its intended time. One thread drives all
 * connections with a spinning selector (it runs pinned on the load CPU, which is otherwise idle during
 * the run), so sends are accurate to a few microseconds.
 */
public final class OpenLoop {

    /**
     * The outcome of one run.
     *
     * @param rate the intended rate (requests/s)
     * @param achieved completed requests per second of the measured window
     * @param completed requests completed whose intended time fell in the measured window
     * @param total responses received in the whole run, warm-up included (for per-request server costs)
     * @param errors connections that failed or responses that were not 200
     * @param p50 median latency, microseconds
     * @param p90 90th percentile, microseconds
     * @param p99 99th percentile, microseconds
     * @param p999 99.9th percentile, microseconds
     * @param max maximum, microseconds
     */
    public record Result(double rate, double achieved, long completed, long total, long errors, double p50, double p90, double p99,
            double p999, double max) {
    }

    private OpenLoop() {
    }

    /**
     * Runs a warm-up window (not recorded) and then a measured window at a fixed rate.
     *
     * @param port the server port on 127.0.0.1
     * @param request the complete request (head and body)
     * @param connections keep-alive connections to use
     * @param rate requests per second over all connections
     * @param warmSeconds the unrecorded warm-up
     * @param seconds the measured window
     * @return the latencies of the measured window
     * @throws IOException if the connections cannot be opened
     */
    public static Result run(int port, byte[] request, int connections, double rate, double warmSeconds, double seconds)
            throws IOException {
        long interval = Math.max(1, Math.round(1e9 / rate));
        Conn[] conns = new Conn[connections];
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                conns[i] = new Conn(ch, i);
                ch.register(selector, SelectionKey.OP_READ, conns[i]);
            }
            long start = System.nanoTime() + 2_000_000;
            long measureStart = start + (long) (warmSeconds * 1e9);
            long end = measureStart + (long) (seconds * 1e9);
            long[] lat = new long[(int) Math.min(Integer.MAX_VALUE - 8, (long) (rate * seconds * 1.1) + 1024)];
            int n = 0;
            long total = 0;
            long errors = 0;
            for (Conn c : conns) {
                c.next = start + c.index * interval;
            }
            long step = interval * connections;
            long hardEnd = end + 10_000_000_000L;
            while (true) {
                long now = System.nanoTime();
                boolean busy = false;
                for (Conn c : conns) {
                    if (c.dead) {
                        continue;
                    }
                    if (!c.busy && c.next <= now && c.next < end) {
                        c.intended = c.next;
                        c.next += step;
                        if (!c.send(request)) {
                            errors++;
                            continue;
                        }
                    }
                    busy |= c.busy;
                }
                if (!busy && now >= end) {
                    break;
                }
                if (now > hardEnd) {
                    errors += countBusy(conns);
                    break;
                }
                if (selector.selectNow() > 0) {
                    now = System.nanoTime();
                    for (SelectionKey k : selector.selectedKeys()) {
                        Conn c = (Conn) k.attachment();
                        int r = c.read();
                        if (r < 0) {
                            errors++;
                            c.dead = true;
                            k.cancel();
                        } else if (r > 0) {
                            total++;
                            if (r != 200) {
                                errors++;
                            }
                            if (c.intended >= measureStart && c.intended < end && n < lat.length) {
                                lat[n++] = now - c.intended;
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
            for (Conn c : conns) {
                try {
                    c.ch.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            long[] sorted = Arrays.copyOf(lat, n);
            Arrays.sort(sorted);
            return new Result(rate, n / seconds, n, total, errors, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                    n == 0 ? Double.NaN : sorted[n - 1] / 1e3);
        }
    }

    private static long countBusy(Conn[] conns) {
        long b = 0;
        for (Conn c : conns) {
            if (c.busy) {
                b++;
            }
        }
        return b;
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
    }

    /** One keep-alive connection and its response parser. */
    private static final class Conn {
        final SocketChannel ch;
        final int index;
        final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        long next;
        long intended;
        boolean busy;
        boolean dead;
        int headerEnd = -1;
        long contentLength;
        int status;

        Conn(SocketChannel ch, int index) {
            this.ch = ch;
            this.index = index;
        }

        boolean send(byte[] request) {
            try {
                ByteBuffer b = ByteBuffer.wrap(request);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                busy = true;
                return true;
            } catch (IOException e) {
                dead = true;
                return false;
            }
        }

        /** @return -1 on failure, 0 if the response is incomplete, else its status code */
        int read() {
            try {
                if (ch.read(in) < 0) {
                    return -1;
                }
            } catch (IOException e) {
                return -1;
            }
            if (headerEnd < 0) {
                headerEnd = findHeaderEnd();
                if (headerEnd < 0) {
                    return 0;
                }
                parseHead();
            }
            if (in.position() < headerEnd + contentLength) {
                return 0;
            }
            // one request in flight per connection, so nothing follows the body
            int s = status;
            in.clear();
            headerEnd = -1;
            busy = false;
            return s;
        }

        private int findHeaderEnd() {
            for (int i = 3; i < in.position(); i++) {
                if (in.get(i) == '\n' && in.get(i - 1) == '\r' && in.get(i - 2) == '\n' && in.get(i - 3) == '\r') {
                    return i + 1;
                }
            }
            return -1;
        }

        private void parseHead() {
            status = (in.get(9) - '0') * 100 + (in.get(10) - '0') * 10 + (in.get(11) - '0');
            contentLength = 0;
            for (int i = 0; i < headerEnd; i++) {
                if (in.get(i) == '\n') {
                    int ls = i + 1;
                    if (matches(ls, "content-length:")) {
                        long v = 0;
                        int j = ls + 15;
                        while (in.get(j) == ' ') {
                            j++;
                        }
                        while (in.get(j) >= '0' && in.get(j) <= '9') {
                            v = v * 10 + (in.get(j) - '0');
                            j++;
                        }
                        contentLength = v;
                    }
                }
            }
        }

        private boolean matches(int at, String lowerName) {
            if (at + lowerName.length() > headerEnd) {
                return false;
            }
            for (int k = 0; k < lowerName.length(); k++) {
                int c = in.get(at + k);
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lowerName.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }
}
