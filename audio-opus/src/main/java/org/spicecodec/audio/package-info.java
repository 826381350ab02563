/**
 * SPICE audio (playback and record channels): {@link org.spicecodec.audio.RawPcmCodec RAW}
 * PCM and the Opus profile ({@link org.spicecodec.audio.OpusAudioEncoder},
 * {@link org.spicecodec.audio.OpusAudioDecoder} on Concentus, a pure-Java Opus), the message
 * bodies that carry them ({@link org.spicecodec.audio.SpiceAudioMessages}), and Ogg Opus /
 * WAV files for tooling and tests. CELT 0.5.1 is refused
 * ({@link org.spicecodec.audio.SpiceAudioMode#CELT_REFUSED}).
 *
 * <p>SPICE's profile ({@link org.spicecodec.audio.AudioParameters#spiceDefault()}): 48 kHz,
 * stereo, S16 interleaved, 480-sample (10 ms) frames, one Opus packet of at most 480 bytes
 * per DATA message, encoder with {@code OPUS_APPLICATION_AUDIO} and nothing else set
 * (automatic bit rate, about 102 kbit/s; default complexity 9), decoder with at most 480
 * frames per call and no FEC.
 */
package org.spicecodec.audio;
