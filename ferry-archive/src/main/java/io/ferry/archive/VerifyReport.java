package io.ferry.archive;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What {@link ArchiveVerifier} found: a summary per stream partition and every problem. */
public record VerifyReport(List<PartitionSummary> partitions, List<Problem> problems) {
    public VerifyReport {
        partitions = List.copyOf(requireNonNull(partitions, "partitions is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /** True when no problem was found. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * One stream partition: objects and records read, and the offsets they span ({@code -1} when
     * none).
     */
    public record PartitionSummary(
            String stream, int partition, long objects, long records, long firstOffset, long lastOffset) {
        public PartitionSummary {
            requireNonNull(stream, "stream is null");
        }
    }

    /** A problem with one key of the archive. */
    public record Problem(Kind kind, String key, String detail) {
        public Problem {
            requireNonNull(kind, "kind is null");
            requireNonNull(key, "key is null");
            requireNonNull(detail, "detail is null");
        }

        @Override
        public String toString() {
            return kind + " " + key + ": " + detail;
        }
    }

    public enum Kind {
        /** Offsets are missing between two objects, or before the first: the manifest chain is broken. */
        GAP,
        /** Two objects hold overlapping offset ranges. */
        OVERLAP,
        /** An object's manifest chains to an object that is not the one before it. */
        CHAIN_MISMATCH,
        /** More than one object for the same first offset (for example with two compressions). */
        DUPLICATE_OBJECT,
        /** An object without a manifest: the export that wrote it did not finish. */
        MISSING_MANIFEST,
        /** A manifest whose object is gone. */
        MISSING_OBJECT,
        /** A manifest that cannot be parsed or describes another object. */
        BAD_MANIFEST,
        /** The stored bytes do not hash to the manifest's sha256. */
        CHECKSUM_MISMATCH,
        /** The stored size differs from the manifest's. */
        SIZE_MISMATCH,
        /** The object holds another number of records, or ends at another offset, than its manifest says. */
        COUNT_MISMATCH,
        /** Offsets that do not increase strictly, lie outside the manifest's range or the object's partition. */
        BAD_OFFSET,
        /** The object cannot be decompressed or parsed. */
        CORRUPT_OBJECT
    }
}
