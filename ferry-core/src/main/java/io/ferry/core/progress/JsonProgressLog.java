package io.ferry.core.progress;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Duration;

/** One JSON object per line, for machines: {@code {"event":"progress","job":...,"done":...}}. */
public final class JsonProgressLog implements ProgressRenderer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PrintStream out;
    private final Duration interval;

    public JsonProgressLog(PrintStream out, Duration interval) {
        this.out = requireNonNull(out, "out is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void render(ProgressSnapshot snapshot, boolean last) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("event", last ? "finished" : "progress");
        event.put("job", snapshot.job());
        event.put("done", snapshot.done());
        if (snapshot.total().isPresent()) {
            event.put("total", snapshot.total().getAsLong());
        } else {
            event.putNull("total");
        }
        event.put("unit", snapshot.unit());
        if (snapshot.fraction().isPresent()) {
            event.put("percent", Math.round(snapshot.fraction().getAsDouble() * 1000) / 10.0);
        }
        event.put("records", snapshot.records());
        event.put("recordsThisRun", snapshot.recordsThisRun());
        event.put("bytes", snapshot.bytes());
        snapshot.unitsPerSecond().ifPresent(rate -> event.put("ratePerSecond", Math.round(rate)));
        snapshot.secondsRemaining().ifPresent(seconds -> event.put("secondsRemaining", seconds));
        event.put("elapsedMillis", snapshot.elapsed().toMillis());
        event.put("splitsDone", snapshot.splitsDone());
        event.put("splitsTotal", snapshot.splitsTotal());
        out.println(event);
        out.flush();
    }
}
