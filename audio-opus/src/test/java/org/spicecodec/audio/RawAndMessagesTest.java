package org.spicecodec.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spicecodec.core.MalformedInputException;

class RawAndMessagesTest {

    @Test
    void rawPcmRoundTripIsExact() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.SPEECH);
        RawPcmCodec raw = RawPcmCodec.spiceDefault();
        assertThat(raw.packetBytes()).isEqualTo(1920);
        short[] out = new short[wav.samples().length / 960 * 960];
        byte[] pkt = new byte[1920];
        for (int off = 0; off + 960 <= wav.samples().length; off += 960) {
            assertThat(raw.encode(wav.samples(), off, pkt, 0)).isEqualTo(1920);
            assertThat(raw.decode(pkt, 0, 1920, out, off)).isEqualTo(480);
        }
        assertThat(out).isEqualTo(java.util.Arrays.copyOf(wav.samples(), out.length));
        // little-endian on the wire
        short[] one = new short[960];
        one[0] = 0x1234;
        raw.encode(one, 0, pkt, 0);
        assertThat(pkt[0]).isEqualTo((byte) 0x34);
        assertThat(pkt[1]).isEqualTo((byte) 0x12);
    }

    @Test
    void rawPcmRejectsWrongSizes() {
        RawPcmCodec raw = RawPcmCodec.spiceDefault();
        assertThatThrownBy(() -> raw.decode(new byte[1919], 0, 1919, new short[960], 0))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("1919");
        assertThatThrownBy(() -> raw.decode(new byte[1921], 0, 1921, new short[960], 0))
                .isInstanceOf(MalformedInputException.class);
    }

    @Test
    void dataMessageLayout() {
        byte[] payload = {9, 8, 7};
        byte[] body = SpiceAudioMessages.writeData(new AudioPacket(0xA1B2C3D4L, payload));
        assertThat(body).containsExactly(0xD4 - 256, 0xC3 - 256, 0xB2 - 256, 0xA1 - 256, 9, 8, 7);
        AudioPacket p = SpiceAudioMessages.parseData(body, 0, body.length);
        assertThat(p.mmTime()).isEqualTo(0xA1B2C3D4L);
        assertThat(p.payload()).containsExactly(9, 8, 7);
        assertThatThrownBy(() -> SpiceAudioMessages.parseData(body, 0, 3)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void startMessageLayout() {
        var s = new SpiceAudioMessages.Start(2, SpiceAudioFormat.S16, 48000, 0x01020304L);
        byte[] b = SpiceAudioMessages.writeStart(s);
        assertThat(b).containsExactly(2, 0, 0, 0, 1, 0, (byte) 0x80, (byte) 0xBB, 0, 0, 4, 3, 2, 1);
        assertThat(SpiceAudioMessages.parseStart(b, 0, b.length)).isEqualTo(s);
        assertThatThrownBy(() -> SpiceAudioMessages.parseStart(b, 0, 13)).isInstanceOf(MalformedInputException.class);
        byte[] badFormat = b.clone();
        badFormat[4] = 2;
        assertThatThrownBy(() -> SpiceAudioMessages.parseStart(badFormat, 0, 14))
                .isInstanceOf(MalformedInputException.class)
                .extracting(e -> ((MalformedInputException) e).offset()).isEqualTo(4L);
        byte[] badChannels = b.clone();
        badChannels[0] = 7;
        assertThatThrownBy(() -> SpiceAudioMessages.parseStart(badChannels, 0, 14)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void modeMessageAndCeltRefusal() {
        byte[] b = SpiceAudioMessages.writeMode(new SpiceAudioMessages.Mode(5, SpiceAudioMode.OPUS));
        assertThat(b).containsExactly(5, 0, 0, 0, 3, 0);
        assertThat(SpiceAudioMessages.parseMode(b, 0, 6).mode()).isEqualTo(SpiceAudioMode.OPUS);
        b[4] = 2;
        assertThat(SpiceAudioMessages.parseMode(b, 0, 6).mode()).isEqualTo(SpiceAudioMode.CELT_0_5_1);
        assertThat(SpiceAudioMode.CELT_0_5_1.isSupported()).isFalse();
        assertThatThrownBy(() -> SpiceAudioMode.requireSupported(2, 4))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("CELT 0.5.1 was removed");
        b[4] = 9;
        assertThatThrownBy(() -> SpiceAudioMessages.parseMode(b, 0, 6)).isInstanceOf(MalformedInputException.class);
        assertThat(SpiceAudioMode.requireSupported(1, 0)).isEqualTo(SpiceAudioMode.RAW);
    }

    @Test
    void mmTimeWraps() {
        assertThat(AudioPacket.addMmTime(0xFFFF_FFFBL, 10)).isEqualTo(5);
        assertThat(AudioPacket.compareMmTime(0xFFFF_FFFBL, 5)).isNegative();
        assertThat(AudioPacket.compareMmTime(5, 0xFFFF_FFFBL)).isPositive();
        assertThatThrownBy(() -> new AudioPacket(1L << 32, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parametersValidateAndDefaultToSpiceProfile() {
        AudioParameters p = AudioParameters.spiceDefault();
        assertThat(p.sampleRate()).isEqualTo(48000);
        assertThat(p.channels()).isEqualTo(2);
        assertThat(p.frameSize()).isEqualTo(480);
        assertThat(p.application()).isEqualTo(AudioParameters.Application.AUDIO);
        assertThat(p.bitrate()).isEqualTo(AudioParameters.BITRATE_AUTO);
        assertThat(p.complexity()).isEqualTo(9);
        assertThat(p.fec()).isFalse();
        assertThat(p.maxPacketBytes()).isEqualTo(480);
        assertThat(p.pcmBytesPerFrame()).isEqualTo(1920);
        assertThat(p.toBuilder().build()).isEqualTo(p);
        assertThatThrownBy(() -> AudioParameters.builder().sampleRate(44100).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioParameters.builder().frameSize(500).build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(AudioParameters.builder().frameSize(120).build().frameSize()).isEqualTo(120);
        assertThat(AudioParameters.builder().frameSize(2880).build().frameSize()).isEqualTo(2880);
        assertThat(AudioParameters.builder().sampleRate(8000).frameSize(160).build().frameSize48k()).isEqualTo(960);
        assertThatThrownBy(() -> AudioParameters.builder().complexity(11).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encoderWithSpiceDefaultsMatchesLibopusDefaults() {
        OpusAudioEncoder enc = new OpusAudioEncoder(AudioParameters.spiceDefault());
        assertThat(enc.lookahead()).isEqualTo(312);
        assertThat(enc.preSkip48k()).isEqualTo(312);
    }

    @Test
    void wavRoundTrip() {
        WavFile wav = AudioTestSupport.load(AudioTestSupport.SYSTEM_SOUND);
        assertThat(wav.frames()).isEqualTo(120000);
        WavFile back = WavFile.read(wav.toBytes());
        assertThat(back.sampleRate()).isEqualTo(48000);
        assertThat(back.channels()).isEqualTo(2);
        assertThat(back.samples()).isEqualTo(wav.samples());
        assertThatThrownBy(() -> WavFile.read(new byte[] {'R', 'I', 'F', 'F'})).isInstanceOf(MalformedInputException.class);
    }
}
