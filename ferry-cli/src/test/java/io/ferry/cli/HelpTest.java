package io.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {
    @Test
    void everyOptionAndParameterOfEveryCommandIsExplainedWithAnExample() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec command : allCommands(Main.commandLine().getCommandSpec())) {
            for (ArgSpec arg : command.args()) {
                if (arg instanceof OptionSpec option && (option.usageHelp() || option.versionHelp())) {
                    continue;
                }
                if (command.name().equals("help")) {
                    continue;
                }
                String description = String.join(" ", arg.description());
                String name = arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
                if (description.isBlank()
                        || !description.toLowerCase(java.util.Locale.ROOT).contains("example")) {
                    missing.add(command.qualifiedName() + " " + name);
                }
            }
        }
        assertEquals(List.of(), missing, "options without a description and an example");
    }

    @Test
    void everyCommandHelpShowsExamplesAndExitCodes() {
        for (CommandSpec command : allCommands(Main.commandLine().getCommandSpec())) {
            if (command.name().equals("help")) {
                continue;
            }
            String usage = command.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.contains("Example"), command.qualifiedName() + " help has no example:\n" + usage);
            assertTrue(usage.contains("Exit codes"), command.qualifiedName() + " help has no exit codes:\n" + usage);
        }
    }

    @Test
    void dashDashHelpWorksOnEveryCommandWithoutItsRequiredArguments() {
        for (CommandSpec command : allCommands(Main.commandLine().getCommandSpec())) {
            if (command.name().equals("help")) {
                continue;
            }
            List<String> args = new ArrayList<>(List.of(command.qualifiedName().split(" ")));
            args.remove(0);
            args.add("--help");
            Ferry.Result result = Ferry.run(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.out().contains("Usage: " + command.qualifiedName()), result.out());
        }
    }

    @Test
    void helpExitsZeroAndAnUnknownOptionExitsTwoWithASuggestion() {
        assertEquals(0, Ferry.run("--help").exitCode());
        Ferry.Result result = Ferry.run("export", "--compresion", "gzip", "in.jsonl", "out");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--compression"), result.err());
    }

    private static List<CommandSpec> allCommands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.subcommands().values()) {
            for (CommandSpec spec : allCommands(sub.getCommandSpec())) {
                if (!all.contains(spec)) {
                    all.add(spec);
                }
            }
        }
        return all;
    }
}
