package org.spicecodec.cli;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.spicecodec.core.MalformedInputException;
import org.spicecodec.core.SpiceBitmap;
import org.spicecodec.core.SpiceBitmapFormat;
import org.spicecodec.corpus.VideoClip;
import org.spicecodec.corpus.VideoClipReader;
import org.spicecodec.video.I420Converter;
import org.spicecodec.video.I420Frame;
import org.spicecodec.video.Y4mReader;

/**
 * A sequence of frames for the video commands, as RGB32 bitmaps: a folder of PNG frames
 * (in file-name order), a YUV4MPEG2 file, or a video file FFmpeg decodes. The bitmap that
 * {@link #next()} returns is valid until the next call (y4m frames reuse one).
 */
abstract class FrameInput implements AutoCloseable {
    final int width;
    final int height;
    final int fps;

    private FrameInput(int width, int height, int fps) {
        this.width = width;
        this.height = height;
        this.fps = fps;
    }

    /** The next frame, or null at the end. */
    abstract SpiceBitmap next() throws IOException;

    @Override
    public void close() throws IOException {
    }

    /**
     * Opens {@code in}.
     *
     * @param fps the frame rate of PNG frames (a y4m file says its own); null for 25
     */
    static FrameInput open(Path in, Integer fps) throws IOException {
        if (Files.isDirectory(in)) {
            return pngFolder(in, fps != null ? fps : 25);
        }
        String name = in.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".y4m")) {
            return y4m(in);
        }
        if (name.endsWith(".mkv") || name.endsWith(".mp4") || name.endsWith(".webm") || name.endsWith(".avi")
                || name.endsWith(".mov")) {
            return demuxed(in, fps);
        }
        throw new CliException(in + ": frames come from a folder of PNG files, a .y4m file, or a video file"
                + " (.mkv, .mp4, .webm, .avi, .mov) that FFmpeg decodes");
    }

    private static FrameInput pngFolder(Path dir, int fps) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Images::isPng).sorted().forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new CliException(dir + ": no PNG frames in this folder");
        }
        BufferedImage first = Images.readPicture(files.get(0));
        int w = first.getWidth();
        int h = first.getHeight();
        return new FrameInput(w, h, fps) {
            int index;

            @Override
            SpiceBitmap next() throws IOException {
                if (index >= files.size()) {
                    return null;
                }
                Path p = files.get(index++);
                BufferedImage img = index == 1 ? first : Images.readPicture(p);
                if (img.getWidth() != w || img.getHeight() != h) {
                    throw new CliException(p + " is " + img.getWidth() + "x" + img.getHeight() + ", the first frame "
                            + w + "x" + h + ": all frames must have one size");
                }
                return Images.toBitmap(img, SpiceBitmapFormat.RGB32);
            }
        };
    }

    /** Decoded by FFmpeg up front (at most 2000 frames and 2 GiB of pixels): for short clips. */
    private static FrameInput demuxed(Path file, Integer fps) throws IOException {
        VideoClip clip;
        try {
            clip = VideoClipReader.read(file, 2000, 2L << 30);
        } catch (IOException e) {
            throw new CliException(file + ": " + e.getMessage());
        }
        if (clip.frames().isEmpty()) {
            throw new CliException(file + ": no video frames");
        }
        int rate = fps != null ? fps : Math.max(1, (int) Math.round(clip.fps()));
        return new FrameInput(clip.width(), clip.height(), rate) {
            int index;

            @Override
            SpiceBitmap next() {
                return index < clip.frames().size() ? clip.frames().get(index++) : null;
            }
        };
    }

    private static FrameInput y4m(Path file) throws IOException {
        Y4mReader r;
        try {
            r = new Y4mReader(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
        } catch (MalformedInputException e) {
            throw new CliException(file + ": bad YUV4MPEG2 header (offset " + e.offset() + "): " + e.reason());
        }
        I420Frame yuv = I420Frame.allocate(r.width(), r.height());
        return new FrameInput(r.width(), r.height(), r.frameRate()) {
            final SpiceBitmap frame = SpiceBitmap.allocate(SpiceBitmapFormat.RGB32, r.width(), r.height());

            @Override
            SpiceBitmap next() throws IOException {
                try {
                    if (!r.next(yuv)) {
                        return null;
                    }
                } catch (MalformedInputException e) {
                    throw new CliException(file + ": bad YUV4MPEG2 frame (offset " + e.offset() + "): " + e.reason());
                }
                I420Converter.i420ToBgrx(yuv, frame);
                return frame;
            }

            @Override
            public void close() throws IOException {
                r.close();
            }
        };
    }
}
