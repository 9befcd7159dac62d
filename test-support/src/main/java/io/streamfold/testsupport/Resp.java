package io.streamfold.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Just enough RESP to ping, flush and shut down a server; the tests use real clients for the rest. */
final class Resp {

    private Resp() {
    }

    /** Sends {@code args} (after {@code AUTH} when a password is given) and returns the reply's first line. */
    static String command(String host, int port, String user, String password, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (password != null) {
                write(out, user == null ? new String[] {"AUTH", password} : new String[] {"AUTH", user, password});
                String auth = in.readLine();
                if (auth == null || !auth.startsWith("+")) {
                    throw new IllegalStateException("AUTH refused by " + host + ":" + port + ": " + auth);
                }
            }
            write(out, args);
            String reply = in.readLine();
            return reply == null ? "" : reply;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + host + ":" + port + " did not answer " + args[0], e);
        }
    }

    private static void write(OutputStream out, String... args) throws IOException {
        StringBuilder frame = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            frame.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
        }
        out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
