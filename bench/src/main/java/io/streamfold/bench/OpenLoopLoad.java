package io.streamfold.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator on the model of wrk2: {@code connections} keep-alive
 * connections to one loopback port, each sending one {@code GET} at a time on its own fixed
 * schedule, together {@code rate} requests a second, interleaved evenly. A request's latency counts
 * from its <em>scheduled</em> send time, so when a response is late the requests queued behind it
 * on its connection are sent late and their waiting is measured too (no coordinated omission).
 * Requests still unsent a grace period after the run's end are counted, not sent.
 */
final class OpenLoopLoad {

    private static final Duration GRACE = Duration.ofSeconds(5);

    private OpenLoopLoad() {
    }

    /** What one run measured; latencies in nanoseconds, sorted, of the requests answered 200. */
    record Result(String target, int rate, Duration duration, long scheduled, long answered, long errors, long unsent,
            double achievedRate, long bodyBytes, long[] sortedLatencies, List<String> errorSamples) {

        /** The latency at quantile {@code q} (nearest rank), in milliseconds; NaN when nothing was answered. */
        double millisAt(double q) {
            if (sortedLatencies.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * sortedLatencies.length);
            return sortedLatencies[Math.max(0, Math.min(sortedLatencies.length - 1, rank - 1))] / 1e6;
        }

        double maxMillis() {
            return millisAt(1.0);
        }

        /** Mean response body size of the requests answered 200. */
        double meanBodyBytes() {
            return sortedLatencies.length == 0 ? 0 : (double) bodyBytes / sortedLatencies.length;
        }
    }

    /** Sends {@code GET target} to 127.0.0.1:{@code port} at {@code rate} a second for {@code duration}. */
    static Result run(int port, String target, int rate, int connections, Duration duration) throws InterruptedException {
        if (rate < 1 || connections < 1 || duration.toMillis() < 1) {
            throw new IllegalArgumentException("expected rate, connections and duration above 0, got rate " + rate
                    + ", connections " + connections + ", duration " + duration);
        }
        long total = rate * duration.toMillis() / 1_000;
        double periodNanos = 1e9 / rate;
        long start = System.nanoTime() + 50_000_000L; // every worker running before the first send
        long giveUp = start + duration.toNanos() + GRACE.toNanos();
        byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Worker worker = new Worker(port, request, c, connections, total, start, periodNanos, giveUp);
            workers.add(worker);
            Thread thread = new Thread(worker, "load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long answered = 0;
        long errors = 0;
        long unsent = 0;
        long bodyBytes = 0;
        long lastDone = start;
        List<String> errorSamples = new ArrayList<>();
        for (Worker worker : workers) {
            answered += worker.answered;
            errors += worker.errors;
            unsent += worker.unsent;
            bodyBytes += worker.bodyBytes;
            lastDone = Math.max(lastDone, worker.lastDone);
            errorSamples.addAll(worker.errorSamples);
        }
        long[] latencies = new long[(int) answered];
        int at = 0;
        for (Worker worker : workers) {
            System.arraycopy(worker.latencies, 0, latencies, at, worker.answered);
            at += worker.answered;
        }
        Arrays.sort(latencies);
        double seconds = Math.max(lastDone - start, 1) / 1e9;
        return new Result(target, rate, duration, total, answered, errors, unsent, answered / seconds, bodyBytes, latencies,
                errorSamples.subList(0, Math.min(3, errorSamples.size())));
    }

    /** One connection's share of the schedule: requests {@code index}, {@code index + connections}, … */
    private static final class Worker implements Runnable {

        private final int port;
        private final byte[] request;
        private final int index;
        private final int connections;
        private final long total;
        private final long start;
        private final double periodNanos;
        private final long giveUp;
        final long[] latencies;
        int answered;
        long errors;
        long unsent;
        long bodyBytes;
        long lastDone;
        final List<String> errorSamples = new ArrayList<>();

        Worker(int port, byte[] request, int index, int connections, long total, long start, double periodNanos, long giveUp) {
            this.port = port;
            this.request = request;
            this.index = index;
            this.connections = connections;
            this.total = total;
            this.start = start;
            this.periodNanos = periodNanos;
            this.giveUp = giveUp;
            this.latencies = new long[(int) ((total + connections - 1) / connections)];
        }

        @Override
        public void run() {
            Connection connection = null;
            try {
                for (long j = index; j < total; j += connections) {
                    long scheduled = start + (long) (j * periodNanos);
                    long wait = scheduled - System.nanoTime();
                    while (wait > 0) {
                        LockSupport.parkNanos(wait);
                        wait = scheduled - System.nanoTime();
                    }
                    if (System.nanoTime() > giveUp) {
                        unsent += (total - 1 - j) / connections + 1;
                        return;
                    }
                    try {
                        if (connection == null) {
                            connection = new Connection(port);
                        }
                        int status = connection.exchange(request);
                        long done = System.nanoTime();
                        lastDone = done;
                        if (status == 200) {
                            latencies[answered++] = done - scheduled;
                            bodyBytes += connection.bodyBytes;
                        } else {
                            error("HTTP " + status);
                        }
                        if (connection.closing) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        error(e.toString());
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                }
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }

        private void error(String what) {
            errors++;
            if (errorSamples.size() < 3) {
                errorSamples.add(what);
            }
        }
    }

    /** One keep-alive HTTP/1.1 connection: writes a request, reads the status and skips the body (fixed length or chunked). */
    private static final class Connection implements Closeable {

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] scratch = new byte[1 << 16];
        private final StringBuilder line = new StringBuilder(128);
        long bodyBytes;
        boolean closing;

        Connection(int port) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = socket.getOutputStream();
        }

        /** Sends {@code request}; returns the response's status once its whole body has been read. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.1 status line: '" + statusLine + "'");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            closing = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closing = true;
                }
            }
            bodyBytes = 0;
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    skip(size);
                    readLine();
                }
                while (!readLine().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("response without Content-Length or chunked body");
            }
            return status;
        }

        private long chunkSize() throws IOException {
            String size = readLine();
            int extension = size.indexOf(';');
            return Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (read < 0) {
                    throw new EOFException("connection closed inside a response body");
                }
                left -= read;
            }
            bodyBytes += n;
        }

        /** One CRLF-terminated line, without the CRLF. */
        private String readLine() throws IOException {
            line.setLength(0);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed inside a response head");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do with a socket that will not close
            }
        }
    }
}
