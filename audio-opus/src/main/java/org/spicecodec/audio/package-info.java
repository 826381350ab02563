/**
 * SPICE audio (playback and record channels): {@link org.spicecodec.audio.RawPcmCodec RAW}
 * PCM and the Opus profile ({@link org.spicecodec.audio.OpusAudioEncoder},
 * {@link org.spicecodec.audio.OpusAudioDecoder}), the message bodies that carry them
 * ({@link org.spicecodec.audio.SpiceAudioMessages}), and Ogg Opus / WAV files for tooling and
 * tests. CELT 0.5.1 is refused ({@link org.spicecodec.audio.SpiceAudioMode#CELT_REFUSED}).
 *
 * <p>SPICE's profile ({@link org.spicecodec.audio.AudioParameters#spiceDefault()}): 48 kHz,
 * stereo, S16 interleaved, 480-sample (10 ms) frames, one Opus packet of at most 480 bytes
 * per DATA message, encoder with {@code OPUS_APPLICATION_AUDIO} and nothing else set
 * (automatic bit rate, about 102 kbit/s; default complexity 9), decoder with at most 480
 * frames per call and no FEC.
 *
 * <p><b>Engines</b> ({@link org.spicecodec.audio.OpusEngine}): Concentus (pure Java, the
 * default) or libopus 1.3.1 through FFmpeg/JavaCPP (optional dependency; system property
 * {@code spicecodec.opus.engine=ffmpeg}). Decided on measurements of SPICE's profile on the
 * same music-like signal (bench {@code AudioBenchmark} and its {@code CpuTime} runner,
 * 2026-11-21). The 2-core machine was shared (load 5 to 19), so wall-clock JMH scores swung
 * by 3×; the comparison uses CPU time, realtime multiple = audio seconds per CPU second:
 * <pre>
 *                 encode     decode
 *   Concentus     71-74x    195-210x
 *   FFmpeg        39-41x    127-136x
 *   opusenc/dec   75-77x    118-120x   (Debian opus-tools, libopus 1.3.1; whole process)
 * </pre>
 * (opusenc run as {@code --comp 9 --framesize 10 --bitrate 102 --cvbr}.) Concentus is the
 * faster engine here and on par with opusenc (a few per cent under it in these runs), so it
 * stays the default and keeps the pure-Java path. Its cost is garbage: about 70 KB per encoded
 * and 17 KB per decoded frame (JMH {@code -prof gc}), all inside Concentus (its Java arrays
 * for C's stack arrays: prefilter, MDCT, VQ, pitch search), which no wrapper can avoid without
 * patching it. The FFmpeg engine allocates no Java memory per frame (≈ 0 B/op) and suits
 * callers who weigh GC pressure over CPU; it has no packet-loss concealment and serves only
 * 48 kHz, frames of 10 ms or more and no FEC (codecs fall back to Concentus, logged, outside).
 */
package org.spicecodec.audio;
