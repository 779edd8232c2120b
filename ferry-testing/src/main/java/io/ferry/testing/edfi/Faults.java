package io.ferry.testing.edfi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Faults the server injects into data requests ({@code /data/v3/...}); discovery, metadata and OAuth requests are
 * never faulted. Thread-safe; settings apply to requests that arrive after the call.
 *
 * <p>Each data request draws one number from a {@link Random} seeded with {@link #seed(long)} (default 0), so a
 * run with the same requests in the same order gets the same faults. A faulted request changes nothing in the
 * store. Order of checks: a pending stall delays the request, then the draw decides between a dropped connection,
 * a 429, a 500, or normal handling.
 */
public final class Faults {
    /** The faults a request can get. */
    public enum Kind {
        /** Answered after a delay (then handled normally). */
        STALLED,
        /** The connection was closed without an answer. */
        DROPPED_CONNECTION,
        /** 429 Too Many Requests with a {@code Retry-After} header. */
        RATE_LIMITED,
        /** 500 Internal Server Error. */
        SERVER_ERROR
    }

    /**
     * What to do with one request.
     *
     * @param stall how long to wait before handling it
     * @param fault the fault to answer with after the wait; null to handle the request normally
     */
    record Decision(Duration stall, @Nullable Kind fault) {
        Decision {
            requireNonNull(stall, "stall is null");
        }
    }

    private final Runnable tokenExpiry;
    private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
    private Random random = new Random(0);
    private double dropFraction;
    private double rateLimitFraction;
    private Duration retryAfter = Duration.ZERO;
    private double serverErrorFraction;
    private Duration stall = Duration.ZERO;
    private int stallsLeft;
    private volatile boolean active;

    Faults(Runnable tokenExpiry) {
        this.tokenExpiry = requireNonNull(tokenExpiry, "tokenExpiry is null");
        for (Kind kind : Kind.values()) {
            injected.put(kind, new AtomicLong());
        }
    }

    /** Answers {@code fraction} of data requests with 429 and {@code Retry-After: <seconds, rounded up>}. */
    public synchronized Faults rateLimited(double fraction, Duration retryAfter) {
        checkFraction("rateLimited", fraction);
        requireNonNull(retryAfter, "retryAfter is null");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
        }
        this.rateLimitFraction = fraction;
        this.retryAfter = retryAfter;
        return update();
    }

    /** Answers {@code fraction} of data requests with 500. */
    public synchronized Faults serverErrors(double fraction) {
        checkFraction("serverErrors", fraction);
        this.serverErrorFraction = fraction;
        return update();
    }

    /** Delays the next {@code times} data requests by {@code delay} each (they run concurrently). */
    public synchronized Faults stall(Duration delay, int times) {
        requireNonNull(delay, "delay is null");
        if (delay.isNegative() || times < 0) {
            throw new IllegalArgumentException(
                    "stall needs a non-negative delay and count, got delay " + delay + " and times " + times);
        }
        this.stall = delay;
        this.stallsLeft = times;
        return update();
    }

    /** Closes the connection without an answer for {@code fraction} of data requests. */
    public synchronized Faults dropConnections(double fraction) {
        checkFraction("dropConnections", fraction);
        this.dropFraction = fraction;
        return update();
    }

    /** Invalidates every token issued so far: requests carrying one get 401 until the client fetches a new one. */
    public Faults expireTokensNow() {
        tokenExpiry.run();
        return this;
    }

    /** Restarts the fault draws from {@code seed}. */
    public synchronized Faults seed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    /** Stops all faults (issued tokens stay as they are; the injected counts are kept). */
    public synchronized Faults clear() {
        dropFraction = 0;
        rateLimitFraction = 0;
        serverErrorFraction = 0;
        retryAfter = Duration.ZERO;
        stall = Duration.ZERO;
        stallsLeft = 0;
        return update();
    }

    /** How many requests got the fault {@code kind} so far. */
    public long injected(Kind kind) {
        return requireNonNull(injected.get(kind)).get();
    }

    synchronized Duration retryAfter() {
        return retryAfter;
    }

    /** Draws the fault for one data request. */
    Decision next() {
        if (!active) {
            return NONE;
        }
        Duration delay;
        @Nullable Kind fault;
        synchronized (this) {
            delay = Duration.ZERO;
            if (stallsLeft > 0) {
                stallsLeft--;
                delay = stall;
            }
            double draw = random.nextDouble();
            if (draw < dropFraction) {
                fault = Kind.DROPPED_CONNECTION;
            } else if (draw < dropFraction + rateLimitFraction) {
                fault = Kind.RATE_LIMITED;
            } else if (draw < dropFraction + rateLimitFraction + serverErrorFraction) {
                fault = Kind.SERVER_ERROR;
            } else {
                fault = null;
            }
            update();
        }
        if (!delay.isZero()) {
            count(Kind.STALLED);
        }
        if (fault != null) {
            count(fault);
        }
        return new Decision(delay, fault);
    }

    private static final Decision NONE = new Decision(Duration.ZERO, null);

    private void count(Kind kind) {
        requireNonNull(injected.get(kind)).incrementAndGet();
    }

    private Faults update() {
        active = dropFraction > 0 || rateLimitFraction > 0 || serverErrorFraction > 0 || stallsLeft > 0;
        return this;
    }

    private static void checkFraction(String name, double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(
                    name + " fraction must be between 0 and 1, got " + fraction + " (example: 0.1 for 10%)");
        }
    }
}
