package io.ferry.cli;

import io.ferry.archive.ArchiveVerifier;
import io.ferry.archive.VerifyReport;
import io.ferry.core.progress.Formats;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify a bucket without trusting anything but its contents: reads every manifest and object, and"
                    + " reports gaps and overlaps between objects, objects without manifests, checksum, size and"
                    + " count mismatches, and corrupt or truncated objects. Exits 1 when it finds any.",
            ""
        },
        footer = {"", "Example:", "  ferry verify ./bucket", "", ExitCode.HELP})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "BUCKET",
            description = "The bucket to verify: a directory or s3://BUCKET/PREFIX an export wrote. Example: ./bucket")
    String bucket = "";

    @Mixin
    S3Options s3 = new S3Options();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        VerifyReport report = new ArchiveVerifier().verify(Endpoints.existingBucket(bucket, s3), "");
        long objects = 0;
        long records = 0;
        for (VerifyReport.PartitionSummary partition : report.partitions()) {
            objects += partition.objects();
            records += partition.records();
            out.println(partition.stream() + "/" + partition.partition() + ": " + Formats.count(partition.objects())
                    + " objects, " + Formats.count(partition.records()) + " records, offsets "
                    + (partition.firstOffset() < 0 ? "none" : partition.firstOffset() + ".." + partition.lastOffset()));
        }
        for (VerifyReport.Problem problem : report.problems()) {
            out.println("PROBLEM " + problem);
        }
        if (report.ok()) {
            out.println("OK: " + report.partitions().size() + " stream partitions, " + Formats.count(objects)
                    + " objects, " + Formats.count(records) + " records; no gap, no overlap, every checksum right.");
            return ExitCode.OK;
        }
        out.println("FAILED: " + report.problems().size() + " problem(s) in " + bucket);
        return ExitCode.PROBLEMS;
    }
}
