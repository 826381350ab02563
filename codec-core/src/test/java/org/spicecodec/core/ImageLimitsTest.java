package org.spicecodec.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageLimitsTest {

    @Test
    void defaults() {
        assertThat(ImageLimits.DEFAULT.maxWidth()).isEqualTo(16384);
        assertThat(ImageLimits.DEFAULT.maxHeight()).isEqualTo(16384);
        assertThat(ImageLimits.DEFAULT.maxPixels()).isEqualTo(1L << 28);
        assertThatCode(() -> ImageLimits.DEFAULT.check(16384, 16384, 0)).doesNotThrowAnyException();
        assertThatCode(() -> ImageLimits.DEFAULT.check(1, 1, 0)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 1", "1, 0", "0, 0", "-1, 5", "5, -1", "-2147483648, 1", "16385, 1", "1, 16385", "70000, 70000",
        "2147483647, 1", "4294967295, 1", "9223372036854775807, 9223372036854775807",
    })
    void defaultRejects(long w, long h) {
        MalformedInputException e = catchMalformed(() -> ImageLimits.DEFAULT.check(w, h, 12));
        assertThat(e.offset()).isEqualTo(12);
        assertThat(e.getMessage()).contains("offset 12").contains(w + "x" + h);
    }

    @Test
    void customLimitsApplyEachBound() {
        ImageLimits l = new ImageLimits(100, 50, 1000);
        assertThatCode(() -> l.check(100, 10, 0)).doesNotThrowAnyException();
        assertThatCode(() -> l.check(20, 50, 0)).doesNotThrowAnyException();
        assertThatCode(() -> l.check(1, 1, 0)).doesNotThrowAnyException();
        assertThat(catchMalformed(() -> l.check(101, 1, 3)).offset()).isEqualTo(3);
        assertThat(catchMalformed(() -> l.check(1, 51, 4)).offset()).isEqualTo(4);
        assertThat(catchMalformed(() -> l.check(100, 11, 5)).reason()).contains("1000");
        assertThat(catchMalformed(() -> l.check(21, 50, 6)).offset()).isEqualTo(6);
    }

    @Test
    void theProductIsComputedWithoutOverflow() {
        ImageLimits wide = new ImageLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 1L << 31);
        assertThatCode(() -> wide.check(1L << 16, 1L << 15, 0)).doesNotThrowAnyException();
        catchMalformed(() -> wide.check(1L << 16, (1L << 15) + 1, 0));
        // 65536 * 65536 is 0 in 32-bit arithmetic; it must still be refused.
        catchMalformed(() -> wide.check(65536, 65536, 0));
        catchMalformed(() -> wide.check(Integer.MAX_VALUE, Integer.MAX_VALUE, 0));
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ImageLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ImageLimits(1, 1, 1)).isEqualTo(new ImageLimits(1, 1, 1));
    }

    @Test
    void malformedInputExceptionCarriesOffsetAndReason() {
        MalformedInputException e = new MalformedInputException(1234, "bad thing");
        assertThat(e.offset()).isEqualTo(1234);
        assertThat(e.reason()).isEqualTo("bad thing");
        assertThat(e.getMessage()).isEqualTo("Malformed input at offset 1234: bad thing");
        assertThat(e).isInstanceOf(RuntimeException.class);
    }

    private static MalformedInputException catchMalformed(Runnable r) {
        try {
            r.run();
        } catch (MalformedInputException e) {
            assertThat(e).isExactlyInstanceOf(MalformedInputException.class);
            return e;
        }
        throw new AssertionError("expected MalformedInputException");
    }
}
