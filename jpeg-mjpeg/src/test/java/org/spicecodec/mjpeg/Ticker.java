package org.spicecodec.mjpeg;

/**
 * Drives a {@link MjpegRateControl} with frames offered every {@code periodMs} ms (tick i at
 * i × periodMs after creation, mm-time in step with the clock), encoded to a size that depends
 * only on the quality id: sizes are the input of every rate decision, so a table of them makes
 * the whole run derivable by hand.
 */
final class Ticker {
    final ScriptedStream stream;
    final MjpegRateControl rc;
    final long[] sizeByQualityId;
    final int periodMs;
    int tick = -1;
    int done;
    int dropped;
    /** Quality id the last admitted frame was encoded with. */
    int lastEncodedQualityId = -1;

    Ticker(ScriptedStream stream, long startingBitRate, long[] sizeByQualityId, int periodMs) {
        this.stream = stream;
        this.sizeByQualityId = sizeByQualityId;
        this.periodMs = periodMs;
        this.rc = new MjpegRateControl(startingBitRate, stream, stream);
    }

    long ms(int tick) {
        return (long) tick * periodMs;
    }

    /** Offers the frame of the next tick; true if it was admitted (and encoded). */
    boolean next() {
        tick++;
        stream.atMs(ms(tick));
        if (!rc.admitFrame(ScriptedStream.mm(ms(tick)))) {
            dropped++;
            return false;
        }
        lastEncodedQualityId = rc.qualityId();
        rc.frameEncoded(sizeByQualityId[rc.qualityId()]);
        done++;
        return true;
    }

    /** Offers frames up to and including tick {@code last}. */
    void runTo(int last) {
        while (tick < last) {
            next();
        }
    }

    /** A report over the last 5 ticks (start = mm four ticks ago, end = mm now). */
    void report(int numDrops, int delay, int audioDelay) {
        rc.clientStreamReport(5, numDrops, ScriptedStream.mm(ms(tick - 4)), ScriptedStream.mm(ms(tick)), delay,
                audioDelay);
    }

    /** A client that shows frames too late: −100 ms, no audio. */
    void negativeReport() {
        report(0, -100, -1);
    }

    /** A client with a comfortable buffer: +{@code delay} ms, no drops, no audio. */
    void positiveReport(int delay) {
        report(0, delay, -1);
    }

    @Override
    public String toString() {
        return String.format("tick %d: q%d fps %d adj %.4f byte %d eval %s %s/%s", tick, rc.qualityId(), rc.fps(),
                rc.adjustedFps(), rc.byteRate(), rc.isEvaluating(), rc.evalType(), rc.evalReason());
    }
}
