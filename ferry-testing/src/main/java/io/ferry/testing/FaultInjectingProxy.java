package io.ferry.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 proxy in front of an S3 server that fails some requests: with probability {@code
 * rate}, and as {@code forced} says for a request's head (request line and headers, one per line).
 * A failed request is answered with a 500 InternalError or a 503 SlowDown, dropped without an
 * answer, or (GETs only) forwarded with its response cut off halfway through the body; only when
 * forced, a request is carried out upstream and its answer lost (the connection reset instead). Requests
 * are forwarded byte for byte, Host header included, so signatures stay valid; every connection
 * carries one request.
 */
public final class FaultInjectingProxy implements AutoCloseable {
    public enum Fault {
        INTERNAL_ERROR,
        SLOW_DOWN,
        DROPPED_CONNECTION,
        TRUNCATED_RESPONSE,
        /** Forwarded and carried out, then the connection reset before any of the answer: a lost answer. */
        LOST_ANSWER,
        /** Answered 501 NotImplemented, as a store that does not implement something in the request. */
        NOT_IMPLEMENTED
    }

    private final URI upstream;
    private final double rate;
    private final Function<String, Optional<Fault>> forced;
    private final Random random;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "fault-injecting-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);

    public FaultInjectingProxy(URI upstream, double rate, long seed, Function<String, Optional<Fault>> forced)
            throws IOException {
        this.upstream = upstream;
        this.rate = rate;
        this.forced = forced;
        this.random = new Random(seed);
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public int requests() {
        return requests.get();
    }

    public int injected(Fault fault) {
        return java.util.Objects.requireNonNull(injected.get(fault)).get();
    }

    public int injected() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.execute(() -> handle(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            requests.incrementAndGet();
            String requestLine = head.getFirst();
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            if ("100-continue".equalsIgnoreCase(header(head, "Expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body = readBody(in, head);
            Fault fault = chooseFault(head, method);
            if (fault != null) {
                java.util.Objects.requireNonNull(injected.get(fault)).incrementAndGet();
            }
            if (fault == Fault.LOST_ANSWER) {
                forward(head, body, OutputStream.nullOutputStream(), false);
            }
            if (fault == Fault.DROPPED_CONNECTION || fault == Fault.LOST_ANSWER) {
                client.setSoLinger(true, 0); // a reset, as when a load balancer drops a connection
                return;
            }
            if (fault == Fault.INTERNAL_ERROR) {
                answerError(out, method, 500, "Internal Server Error", "InternalError");
                return;
            }
            if (fault == Fault.NOT_IMPLEMENTED) {
                answerError(out, method, 501, "Not Implemented", "NotImplemented");
                return;
            }
            if (fault == Fault.SLOW_DOWN) {
                answerError(out, method, 503, "Slow Down", "SlowDown");
                return;
            }
            forward(head, body, out, fault == Fault.TRUNCATED_RESPONSE);
        } catch (IOException e) {
            // the client went away; nothing to answer
        }
    }

    private @org.jspecify.annotations.Nullable Fault chooseFault(List<String> head, String method) {
        String requestLine = head.getFirst();
        boolean fail;
        int kind;
        synchronized (random) {
            fail = random.nextDouble() < rate;
            kind = random.nextInt(4);
        }
        Optional<Fault> chosen = forced.apply(String.join("\n", head));
        if (chosen.isPresent()) {
            return chosen.get();
        }
        if (!fail) {
            return null;
        }
        boolean objectGet =
                method.equals("GET") && !requestLine.contains("list-type") && !requestLine.contains("uploads");
        return switch (kind) {
            case 0 -> Fault.INTERNAL_ERROR;
            case 1 -> Fault.SLOW_DOWN;
            case 2 -> Fault.DROPPED_CONNECTION;
            default -> objectGet ? Fault.TRUNCATED_RESPONSE : Fault.DROPPED_CONNECTION;
        };
    }

    private static void answerError(OutputStream out, String method, int status, String reason, String code)
            throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                        + "</Code><Message>injected by the test proxy</Message><RequestId>fault</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        boolean noBody = method.equals("HEAD");
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + (noBody ? 0 : xml.length) + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody) {
            out.write(xml);
        }
        out.flush();
    }

    private void forward(List<String> head, byte[] body, OutputStream out, boolean truncate) throws IOException {
        try (Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream.getPort())) {
            OutputStream up = server.getOutputStream();
            StringBuilder request = new StringBuilder(head.getFirst()).append("\r\n");
            for (String line : head.subList(1, head.size())) {
                String name = line.substring(0, line.indexOf(':')).trim();
                if (!name.equalsIgnoreCase("Connection") && !name.equalsIgnoreCase("Expect")) {
                    request.append(line).append("\r\n");
                }
            }
            request.append("Connection: close\r\n\r\n");
            up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();

            InputStream down = new BufferedInputStream(server.getInputStream());
            List<String> response = readHead(down);
            if (response.isEmpty()) {
                return;
            }
            StringBuilder answer = new StringBuilder(response.getFirst()).append("\r\n");
            for (String line : response.subList(1, response.size())) {
                String name = line.substring(0, line.indexOf(':')).trim();
                if (!name.equalsIgnoreCase("Connection")) {
                    answer.append(line).append("\r\n");
                }
            }
            answer.append("Connection: close\r\n\r\n");
            out.write(answer.toString().getBytes(StandardCharsets.ISO_8859_1));
            String length = header(response, "Content-Length");
            if (truncate && length != null && Long.parseLong(length) > 1) {
                out.write(down.readNBytes((int) (Long.parseLong(length) / 2)));
                out.flush();
                return; // and the connection closes mid-body
            }
            down.transferTo(out);
            out.flush();
        }
    }

    /** The request or status line and the header lines; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            if (line == null) {
                if (lines.isEmpty()) {
                    return lines;
                }
                throw new EOFException("connection closed within a message head");
            }
            if (line.isEmpty()) {
                return lines;
            }
            lines.add(line);
        }
    }

    private static @org.jspecify.annotations.Nullable String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The raw body, as sent: Content-Length bytes, or every chunk and the trailers when chunked. */
    private static byte[] readBody(InputStream in, List<String> head) throws IOException {
        String length = header(head, "Content-Length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        String encoding = header(head, "Transfer-Encoding");
        if (encoding == null || !encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new byte[0];
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("connection closed within a chunked body");
            }
            raw.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    raw.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                raw.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return raw.toByteArray();
            }
            raw.writeBytes(in.readNBytes(size + 2)); // the chunk and its CRLF
        }
    }

    private static @org.jspecify.annotations.Nullable String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
