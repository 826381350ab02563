package org.spicecodec.core;

import java.util.Arrays;

/**
 * A SPICE palette: {@code ents[i]} is {@code 0x00RRGGBB}. The {@code unique} id is what
 * SPICE uses to cache palettes on the client.
 *
 * <p>The entry array is copied on construction and never exposed, so a palette is immutable.
 */
public final class SpicePalette {
    private final long unique;
    private final int[] ents;

    public SpicePalette(long unique, int[] ents) {
        if (ents.length > 256) {
            throw new IllegalArgumentException("a palette has at most 256 entries, got " + ents.length);
        }
        this.unique = unique;
        this.ents = ents.clone();
    }

    public long unique() {
        return unique;
    }

    public int size() {
        return ents.length;
    }

    /** Entry {@code i} as {@code 0x00RRGGBB}. */
    public int get(int i) {
        return ents[i];
    }

    /** A copy of the entries. */
    public int[] entries() {
        return ents.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpicePalette p && p.unique == unique && Arrays.equals(p.ents, ents);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(unique) * 31 + Arrays.hashCode(ents);
    }

    @Override
    public String toString() {
        return "SpicePalette[unique=" + unique + ", size=" + ents.length + "]";
    }
}
