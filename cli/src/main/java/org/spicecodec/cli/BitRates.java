package org.spicecodec.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bit rates on the command line: {@code 2000000}, {@code 800k}, {@code 2mbit}, {@code 1.5M}, {@code 10mbps}. */
final class BitRates {
    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmg]?)(?:bit|bps|b|bit/s)?");

    private BitRates() {
    }

    /** Bits per second; decimal prefixes (k = 1000). */
    static long parse(String text) {
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a bit rate (examples: 800k, 2mbit, 1.5M)");
        }
        double v = Double.parseDouble(m.group(1));
        double scale = switch (m.group(2)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
        double bits = v * scale;
        if (bits < 1000 || bits > 100e9) {
            throw new IllegalArgumentException("bit rate " + text + " is outside 1 kbit/s .. 100 Gbit/s");
        }
        return Math.round(bits);
    }

    static String format(double bitsPerSecond) {
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.0f kbit/s", bitsPerSecond / 1e3);
    }
}
