package dev.jgi.bench.server;

/**
 * Entry point of a server JVM of the benchmark: {@code ServerMain <variant> <port> <controlPort>}.
 * Starts the variant on 127.0.0.1, starts the {@link Control} endpoint, and prints
 * {@code READY <port> <controlPort>} on standard output. It runs until the driver sends QUIT (or
 * kills it).
 */
public final class ServerMain {

    private ServerMain() {
    }

    /**
     * @param args variant name, port, control port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ServerMain <variant> <port> <controlPort>; variants: " + Variants.names());
            System.exit(2);
        }
        Variant v = Variants.byName(args[0]);
        BenchServer server = v.create().orElseThrow(() -> new IllegalStateException(
                "variant " + v.name() + " is not built into this harness (its adapter is missing)"));
        int port = server.start("127.0.0.1", Integer.parseInt(args[1]));
        Control control = new Control(Integer.parseInt(args[2]), () -> {
            try {
                server.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        control.start();
        System.out.println("READY " + port + " " + control.port());
        System.out.flush();
    }
}
