package io.ferry.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes such as {@code 64MiB}, {@code 1g}, {@code 512k} or {@code 1048576} into bytes. */
public final class ByteSize implements ITypeConverter<Long> {
    private static final Pattern SIZE =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        Matcher matcher = SIZE.matcher(value.trim());
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + value
                    + "' is not a size: use a number of bytes with an optional unit k, m, g, t (powers of 1024),"
                    + " for example 64MiB or 512k");
        }
        double number = Double.parseDouble(matcher.group(1));
        int power = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        double bytes = number * Math.pow(1024, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2.0) {
            throw new TypeConversionException("'" + value + "' is out of range: use a size from 1 byte up");
        }
        return (long) bytes;
    }
}
