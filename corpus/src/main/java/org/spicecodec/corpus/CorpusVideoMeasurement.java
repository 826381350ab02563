package org.spicecodec.corpus;

/**
 * One clip coded by one codec on one backend, with one preset, at one rate point.
 *
 * @param category       the corpus category folder
 * @param name           the file within the category
 * @param width          frame width
 * @param height         frame height
 * @param fps            the clip's frame rate, used for bit rates
 * @param frames         input frames coded
 * @param codec          the stream codec ("H264", "H265", "VP8", "VP9", "MJPEG")
 * @param backend        the encoding backend ("ffmpeg", "gstreamer", "jcodec")
 * @param decoderBackend the backend whose decoder gave the pictures measured (the encoder's own
 *                       when it can decode the codec, else the first one that can)
 * @param preset         the x264/x265 preset, or {@code "-"} for codecs without presets
 * @param rateMode       {@code "qp"} (constant QP) or {@code "vbr"} (a target bit rate, for
 *                       backends that refuse constant QP)
 * @param rateValue      the QP, or the target in kbit/s
 * @param framesEncoded  frames the encoder output (fewer than {@code frames} if it dropped or held back some)
 * @param framesDecoded  pictures the decoder output
 * @param encodedBytes   bytes of all encoded frames (no SPICE message headers)
 * @param kbps           {@code encodedBytes * 8 / (framesEncoded / fps) / 1000}
 * @param psnrRgbDb      mean over decoded frames of the PSNR of B, G and R together (8-bit, peak 255)
 *                       against the source frame; a frame equal to its source counts as 100 dB
 * @param psnrYDb        the same for BT.601 luma computed from R, G, B of both pictures
 * @param encodeFps      frames encoded per second of wall time (one run, not a benchmark)
 * @param decodeFps      frames decoded per second of wall time
 * @param error          why the run failed, or null
 */
public record CorpusVideoMeasurement(String category, String name, int width, int height, double fps, int frames,
                                     String codec, String backend, String decoderBackend, String preset,
                                     String rateMode, int rateValue, int framesEncoded, int framesDecoded,
                                     long encodedBytes, double kbps, double psnrRgbDb, double psnrYDb,
                                     double encodeFps, double decodeFps, String error) {

    public boolean ok() {
        return error == null;
    }

    public String path() {
        return category + "/" + name;
    }

    /** The chart series and table key: {@code codec/backend[/preset]}. */
    public String series() {
        return codec + "/" + backend + ("-".equals(preset) ? "" : "/" + preset);
    }

    /** {@code "qp 22"} or {@code "2000 kbit/s"}. */
    public String rateLabel() {
        return "qp".equals(rateMode) ? "qp " + rateValue : rateValue + " kbit/s";
    }
}
