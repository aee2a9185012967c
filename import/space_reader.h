/* Search spaces (MCUNet's TinyNAS, stage one): a family of networks as
 * text, in the spirit of the architecture specs (spec_reader.h). A space
 * is scaled by a width multiplier W and an input resolution R, each from a
 * list; one (W, R) pair is a configuration, and a configuration's networks
 * differ by the choices of their stages (depth, and per block kernel and
 * expansion). A sampled network is written as spec text, so it is planned
 * exactly as `msf plan` plans that spec.
 *
 * Format: one line each, '#' starts a comment, blank lines are ignored,
 * words separated by spaces or tabs. Settings, before the first layer:
 *     width W...        the multipliers, 0.01..4 with at most two decimals
 *     resolution R...   the input sizes (RxR), 8..512
 *     divisor D         channels are multiples of D (default 8)
 *     input c=C         the input's channels (default 3), never scaled
 * Layers, in order (as in specs; channels c= are scaled by W unless
 * scale=no is given):
 *     conv  k= c= [s= act= scale=]     CONV_2D, SAME padding
 *     pw    c= [act= scale=]           1x1 CONV_2D
 *     dw    k= [s= act=]               DEPTHWISE_CONV_2D
 *     stage c= s= depth= k= e= [act=]  inverted-residual blocks (MobileNetV2)
 *     gap                              global average pool
 *     fc    c= [act= scale=]           FULLY_CONNECTED
 *     softmax
 * depth=, k= and e= of a stage are lists of choices (depth=2,3,4). A
 * sampled network takes one depth per stage and one kernel and expansion
 * per block. A block with input channels Cin: a 1x1 expansion to Cin x e
 * channels with act (none when e is 1), a k x k depthwise with the stage's
 * stride (first block) or 1 and act, a linear 1x1 projection to c, and a
 * residual add of the block input when the stride is 1 and Cin equals c.
 *
 * Channels: make_divisible(c x W, D) as the reference implementations
 * (MobileNetV2, ProxylessNAS, Once-for-All): c x W rounded to the nearest
 * multiple of D, at least D, raised by D when below 90% of c x W; computed
 * in integers (W in hundredths), so every platform gets the same networks.
 *
 * Limits, so that any text is safe to read: at most 16 widths, 32
 * resolutions, 64 layers, 12 choices per list; c 1..2048, k and s 1..7,
 * depth 1..12, e 1..8, D 1..64, input channels 1..16. The networks' own
 * limits (channels, layers, sizes) are the spec reader's, checked by
 * space_check on the largest network. Every error names the line. */
#ifndef MSF_SPACE_READER_H
#define MSF_SPACE_READER_H

#include <stddef.h>
#include <stdint.h>

#define SPACE_MAX_WIDTHS 16
#define SPACE_MAX_RESOLUTIONS 32
#define SPACE_MAX_LAYERS 64
#define SPACE_MAX_CHOICES 12

typedef enum { SPACE_CONV, SPACE_PW, SPACE_DW, SPACE_STAGE, SPACE_GAP, SPACE_FC, SPACE_SOFTMAX } space_kind;

typedef struct {
    int32_t n;
    int32_t v[SPACE_MAX_CHOICES]; /* ascending, distinct */
} space_choices;

typedef struct {
    space_kind kind;
    int line;
    int32_t k, s, c, act;  /* act: MSF_ACT_* */
    int scaled;            /* c is multiplied by W */
    space_choices depth, kernel, expand; /* stages: the choices; else unused */
} space_layer;

typedef struct {
    int32_t widths[SPACE_MAX_WIDTHS]; /* W in hundredths, ascending */
    int32_t n_widths;
    int32_t resolutions[SPACE_MAX_RESOLUTIONS]; /* ascending */
    int32_t n_resolutions;
    int32_t divisor, in_channels;
    space_layer layers[SPACE_MAX_LAYERS];
    int32_t n_layers;
} msf_space;

/* Reads space text[0..len) into *s. Returns 0, or -1 with a message in
 * err: "SOURCE:N: ..." for line N, "SOURCE: ..." for the whole text;
 * without a source, "line N: ..." and "space: ...". */
int space_read(const char *source, const char *text, size_t len, msf_space *s, char *err, size_t err_size);

/* Reads a space file (at most 64 KiB). */
int space_read_file(const char *path, msf_space *s, char *err, size_t err_size);

/* make_divisible(c x width / 100, divisor) (see above). */
int32_t space_channels(int32_t c, int32_t width, int32_t divisor);

/* Network `index` of configuration (width, resolution) as spec text
 * (malloc'ed, NUL-terminated, length in *len), NULL when out of memory.
 * Its choices come from (seed, index) alone, so network i of every
 * configuration makes the same choices. header, when not NULL, is put
 * first (comment lines). The largest network of the space, for checks, is
 * the one with every choice at its maximum: space_largest_spec. */
char *space_network_spec(const msf_space *s, int32_t width, int32_t resolution, uint64_t seed, uint64_t index,
                         const char *header, size_t *len);
char *space_largest_spec(const msf_space *s, size_t *len);

/* Whether every network of the space is a valid spec: the largest one
 * passes the spec reader (its limits grow with every choice). Returns 0,
 * or -1 with a message. */
int space_check(const msf_space *s, char *err, size_t err_size);

#endif
