/**
 * SPICE's LZ image codec (spice-common {@code common/lz.c}): {@link org.spicecodec.lz.LzEncoder}
 * writes streams byte-identical to the reference for all eleven {@link org.spicecodec.lz.LzImageType}s,
 * chunked input included (one chunk is one reference segment); {@link org.spicecodec.lz.LzDecoder}
 * reads them with the reference's conversions and validates everything it reads.
 *
 * <p>Encoders and decoders keep scratch state between images and are not thread-safe.
 */
package org.spicecodec.lz;
