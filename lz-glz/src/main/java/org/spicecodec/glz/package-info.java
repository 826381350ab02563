/**
 * GLZ, SPICE's "global" LZ: LZ77 over a window of recent images shared by all display
 * channels of a client.
 *
 * <ul>
 *   <li>Server side: one {@link org.spicecodec.glz.GlzDictionary} per client connection, one
 *       {@link org.spicecodec.glz.GlzEncoder} per display channel (thread). Output is
 *       byte-identical to spice-server's {@code glz-encoder.c}.</li>
 *   <li>Client side: one {@link org.spicecodec.glz.GlzDecoderWindow} per session, one
 *       {@link org.spicecodec.glz.GlzDecoder} per channel, as spice-gtk's {@code decode-glz.c}.</li>
 * </ul>
 */
package org.spicecodec.glz;
