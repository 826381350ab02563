package org.spicecodec.video.ffmpeg;

import java.nio.ByteBuffer;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.core.SpiceChunks;

/** Row copies between SPICE bitmaps (any stride, chunked or not) and packed native buffers. */
final class BitmapRows {
    private BitmapRows() {
    }

    /** FFmpeg's name for a SPICE bitmap format's bytes, or -1 if the encoders do not take it. */
    static int pixelFormat(SpiceBitmapFormat f) {
        return switch (f) {
            case RGB32 -> org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR0;
            case RGBA -> org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
            case RGB24 -> org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
            // x1r5g5b5 in a little-endian word.
            case RGB16 -> org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB555LE;
            default -> -1;
        };
    }

    /**
     * Copies {@code rows} rows of {@code rowBytes} bytes, from memory row {@code firstRow} and
     * byte {@code skipBytes} of each row, to {@code dst} at {@code dstStride} apart from row
     * {@code dstFirstRow} on (a band of the frame: {@link RowCopier} splits the copy). When
     * {@code padBytes} > 0 the last {@code padBytes} bytes of each row are repeated once after
     * it (one replicated pixel); when {@code padRow} the last row is repeated below.
     * Indices were checked by the caller against the bitmap's validated geometry.
     */
    static void copyIn(SpiceBitmap bm, int firstRow, int rows, int skipBytes, int rowBytes, int padBytes,
                       boolean padRow, ByteBuffer dst, int dstFirstRow, int dstStride) {
        SpiceChunks chunks = bm.chunks();
        int stride = bm.stride();
        int chunk = 0;
        int chunkFirstRow = 0;
        int chunkRows = chunks.length(0) / stride;
        int row = firstRow;
        int dstPos = dstFirstRow * dstStride;
        for (int r = 0; r < rows; r++, row++, dstPos += dstStride) {
            while (row >= chunkFirstRow + chunkRows) {
                chunkFirstRow += chunkRows;
                chunk++;
                chunkRows = chunks.length(chunk) / stride;
            }
            int src = chunks.offset(chunk) + (row - chunkFirstRow) * stride + skipBytes;
            byte[] data = chunks.data(chunk);
            dst.put(dstPos, data, src, rowBytes);
            if (padBytes > 0) {
                dst.put(dstPos + rowBytes, data, src + rowBytes - padBytes, padBytes);
            }
        }
        if (padRow) {
            int last = dstPos - dstStride;
            dst.put(dstPos, dst, last, dstStride);
        }
    }

    /** Copies {@code rows} packed rows of {@code rowBytes} from {@code src} into the bitmap's memory rows 0.. */
    static void copyOut(ByteBuffer src, int srcStride, int rows, int rowBytes, SpiceBitmap bm) {
        SpiceChunks chunks = bm.chunks();
        int stride = bm.stride();
        int row = 0;
        for (int chunk = 0; chunk < chunks.count() && row < rows; chunk++) {
            int n = Math.min(chunks.length(chunk) / stride, rows - row);
            byte[] data = chunks.data(chunk);
            int off = chunks.offset(chunk);
            if (stride == rowBytes && srcStride == rowBytes) {
                src.get(row * srcStride, data, off, n * rowBytes);
            } else {
                for (int i = 0; i < n; i++) {
                    src.get((row + i) * srcStride, data, off + i * stride, rowBytes);
                }
            }
            row += n;
        }
    }
}
