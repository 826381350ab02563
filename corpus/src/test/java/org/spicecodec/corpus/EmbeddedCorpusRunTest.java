package org.spicecodec.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library's codecs over the whole embedded corpus, timing kept to one run each: a real-content round-trip test. */
class EmbeddedCorpusRunTest {
    @TempDir
    Path tmp;

    @Test
    void theLibrarysCodecsRoundTripTheEmbeddedCorpus() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        // PNG is only a yardstick, and the slowest; leave it out to keep the build quick.
        List<CorpusCodec> codecs = CorpusCodecs.defaults().stream().filter(c -> !(c instanceof PngCodec)).toList();
        CorpusResult r = CorpusRunner.builder().minMeasureMillis(0).out(tmp).codecs(codecs)
                .build().run(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(r.failures()).as(text.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.audioFailures()).isEmpty();
        int clips = Corpus.embeddedDefault().audioItems().size();
        int images = Corpus.defaultIndex().size() - clips;
        // Each embedded clip is coded by Opus and by raw PCM.
        assertThat(r.audio()).hasSize(2 * clips);
        assertThat(r.measurements()).filteredOn(m -> m.codec().equals("QUIC")).hasSize(images)
                .allSatisfy(m -> assertThat(m.losslessOk()).isTrue());
        for (CorpusCodec c : codecs) {
            assertThat(r.measurements()).filteredOn(m -> m.codec().equals(c.name())).hasSize(images);
        }
    }
}
