package org.spicecodec.core.video;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamReportWindowTest {

    @Test
    void reportsAfterFiveFrames() {
        StreamReportWindow w = new StreamReportWindow();
        for (int i = 0; i < 4; i++) {
            assertThat(w.frameArrived(1000 + 40 * i, 900 + 40 * i, 10 * i)).isFalse();
        }
        assertThat(w.frameArrived(1160, 1180, 40)).isTrue();
        assertThat(w.reportFrames()).isEqualTo(5);
        assertThat(w.reportDrops()).isEqualTo(1);
        assertThat(w.reportStartMmTime()).isEqualTo(1000);
        assertThat(w.reportEndMmTime()).isEqualTo(1160);
        assertThat(w.reportLastFrameDelay()).isEqualTo(-20);
        // The window restarted.
        assertThat(w.frameArrived(1200, 1100, 50)).isFalse();
    }

    @Test
    void threeLateFramesInARowForceAReport() {
        StreamReportWindow w = new StreamReportWindow();
        assertThat(w.frameArrived(100, 200, 0)).isFalse();
        assertThat(w.frameArrived(140, 100, 1)).isFalse(); // on time: the run restarts
        assertThat(w.frameArrived(180, 300, 2)).isFalse();
        assertThat(w.frameArrived(220, 300, 3)).isFalse();
        assertThat(w.frameArrived(260, 300, 4)).isTrue(); // the fifth frame and the third late one
        assertThat(w.reportDrops()).isEqualTo(4);

        StreamReportWindow v = new StreamReportWindow(100, 10_000);
        assertThat(v.frameArrived(0, 5, 0)).isFalse();
        assertThat(v.frameArrived(0, 5, 0)).isFalse();
        assertThat(v.frameArrived(0, 5, 0)).isTrue();
        assertThat(v.reportFrames()).isEqualTo(3);
        assertThat(v.reportDrops()).isEqualTo(3);
    }

    @Test
    void reportsWhenTheWindowTimesOut() {
        StreamReportWindow w = new StreamReportWindow();
        assertThat(w.frameArrived(0, 0, 5000)).isFalse();
        assertThat(w.frameArrived(500, 0, 5999)).isFalse();
        assertThat(w.frameArrived(1000, 0, 6000)).isTrue();
        assertThat(w.reportFrames()).isEqualTo(3);
        assertThat(w.reportDrops()).isZero();
    }
}
