package dev.jgi.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server JVM of one trial: spawned pinned to the server CPU, probed until its first 200 response
 * (the startup time), asked for its counters over the control port, and stopped.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int controlPort;
    private final double startupMillis;

    private ServerProcess(Process process, int port, int controlPort, double startupMillis) {
        this.process = process;
        this.port = port;
        this.controlPort = controlPort;
        this.startupMillis = startupMillis;
    }

    /**
     * Spawns a server JVM and waits for its first 200 answer to {@code probe}.
     *
     * @param command the java command line up to (excluding) the ServerMain arguments
     * @param variant the variant's name
     * @param log where the JVM's output goes
     * @param probe the probe request (the hello workload)
     * @param jitCpu the CPU to move the JIT compiler threads to once the server answers, or {@code null}
     * @return the running server
     * @throws IOException if it did not start within 60 s
     * @throws InterruptedException if interrupted
     */
    public static ServerProcess start(List<String> command, String variant, Path log, Workload probe, String jitCpu)
            throws IOException, InterruptedException {
        int port = freePort();
        int ctl = freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("dev.jgi.bench.server.ServerMain", variant, Integer.toString(port), Integer.toString(ctl)));
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        byte[] head = probe.requestHead(port);
        byte[] none = new byte[0];
        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        double startup = -1;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("server " + variant + " exited with " + p.exitValue() + "; see " + log);
            }
            try {
                RawHttp.Response r = RawHttp.exchange(port, head, none, 5000);
                if (r.status() == 200) {
                    startup = (System.nanoTime() - t0) / 1e6;
                    break;
                }
            } catch (IOException notYet) {
                Thread.sleep(1);
            }
        }
        if (startup < 0) {
            p.destroyForcibly();
            throw new IOException("server " + variant + " gave no 200 within 60 s; see " + log);
        }
        if (jitCpu != null) {
            moveCompilerThreads(p.pid(), jitCpu);
        }
        ServerProcess sp = new ServerProcess(p, port, ctl, startup);
        // the control endpoint starts right after the server: wait for it too
        while (true) {
            try {
                sp.stats(false);
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    sp.close();
                    throw new IOException("control endpoint of " + variant + " did not answer; see " + log, e);
                }
                Thread.sleep(1);
            }
        }
        return sp;
    }

    /** @return the HTTP port */
    public int port() {
        return port;
    }

    /** @return ms from spawning the JVM to the end of its first 200 response */
    public double startupMillis() {
        return startupMillis;
    }

    /** @return the server JVM's process id */
    public long pid() {
        return process.pid();
    }

    /**
     * Reads the server's counters (see {@code dev.jgi.bench.server.Control}) and its CPU time.
     *
     * @param reset whether to reset the heap peaks first
     * @return the counters, plus {@code proccpu}: utime+stime from /proc/&lt;pid&gt;/stat in ns
     * @throws IOException if the endpoint did not answer
     */
    public Map<String, Long> stats(boolean reset) throws IOException {
        Map<String, Long> m = new HashMap<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", controlPort), 5000);
            s.setSoTimeout(10000);
            OutputStream out = s.getOutputStream();
            out.write((reset ? "RESET\n" : "STATS\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null) {
                throw new IOException("control endpoint closed");
            }
            for (String kv : line.trim().split(" ")) {
                int eq = kv.indexOf('=');
                m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
        }
        m.put("proccpu", procCpuNanos(process.pid()));
        return m;
    }

    /**
     * utime + stime of a process from /proc/&lt;pid&gt;/stat, in ns (clock ticks of 10 ms).
     *
     * @param pid the process
     * @return CPU time in ns, or -1 if unreadable
     */
    public static long procCpuNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state is field 3, so utime (14) and stime (15) are at 11 and 12
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Moves the JIT compiler threads (C1 and C2; with -XX:-UseDynamicNumberOfCompilerThreads all of
     * them exist from the start) to another CPU. On one CPU the JIT competes with the server for
     * seconds after start; moved to the load CPU, it finishes during the warm-up instead of the
     * measured windows. Their CPU time still counts in /proc/&lt;pid&gt;/stat, and the report shows the
     * JIT time in every window.
     */
    static void moveCompilerThreads(long pid, String cpu) throws IOException, InterruptedException {
        Path tasks = Path.of("/proc/" + pid + "/task");
        List<String> tids = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) s::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        tids.add(t.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        for (String tid : tids) {
            Process p = new ProcessBuilder("taskset", "-p", "-c", cpu, tid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** USER_HZ: 100 on Linux for every architecture this runs on. */
    static final long CLOCK_TICKS = 100;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Asks the server to quit, then makes sure it is gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", controlPort), 2000);
                s.getOutputStream().write("QUIT\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.getInputStream().read();
            } catch (IOException ignored) {
                // it may already be gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
