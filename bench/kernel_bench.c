/* Firmware for `make kernel-bench` (bench/kernel_bench.sh): every distinct
 * conv, depthwise and fully connected layer shape of mlperf_resnet8 and
 * mlperf_vww96, run once through msf's kernels on deterministic
 * pseudo-random data, each call bracketed by the instruction-count markers
 * (region k + 1 is shape k; region 0 the markers' own cost). CMSIS-NN's
 * figures for the same shapes on the same target are in the table, from
 * ../shared/reference/cmsis-nn-m7.md (Arm CMSIS-NN v7.0.0-43-g99f736a6, DSP
 * path, GCC 12.2 -O3, QEMU 7.2 mps2-an500).
 *
 * Lines printed, one a shape, in table order:
 *   msf: shape NAME MODEL COUNT MACS CMSIS HASH
 * COUNT is how often the shape occurs in MODEL, HASH the FNV-1a of the
 * output bytes; the script checks it against `want`, the hash of TFLite's
 * arithmetic (the kernels of commit 14a4d47, byte-identical to TFLite Micro
 * on the reference vectors), and against the portable build (-DMSF_NO_DSP). */
#include <stdint.h>

#include "hal.h"
#include "msf_kernels.h"

typedef enum { CONV, DEPTHWISE, FC } kind_t;

typedef struct {
    const char *name, *model;
    kind_t kind;
    int32_t h, w, in_c, out_c, k, stride;
    int32_t count;    /* occurrences in the model */
    uint32_t cmsis;   /* CMSIS-NN's instructions */
    uint32_t want;    /* FNV-1a of the output */
} shape_t;

static const shape_t shapes[] = {
    {"r8_conv3x3_s1_32x32x3_16", "resnet8", CONV, 32, 32, 3, 16, 3, 1, 1, 2166605, 0x51c5ce16},
    {"r8_conv3x3_s1_32x32x16_16", "resnet8", CONV, 32, 32, 16, 16, 3, 1, 2, 5545045, 0x7d89f8ff},
    {"r8_conv3x3_s2_32x32x16_32", "resnet8", CONV, 32, 32, 16, 32, 3, 2, 1, 2533675, 0x964c67fe},
    {"r8_conv3x3_s1_16x16x32_32", "resnet8", CONV, 16, 16, 32, 32, 3, 1, 1, 4569045, 0x6ac9d091},
    {"r8_conv1x1_s2_32x32x16_32", "resnet8", CONV, 32, 32, 16, 32, 1, 2, 1, 557122, 0x3fb2fea4},
    {"r8_conv3x3_s2_16x16x32_64", "resnet8", CONV, 16, 16, 32, 64, 3, 2, 1, 2195311, 0xd99dbeb1},
    {"r8_conv3x3_s1_8x8x64_64", "resnet8", CONV, 8, 8, 64, 64, 3, 1, 1, 4170925, 0xd1715dc2},
    {"r8_conv1x1_s2_16x16x32_64", "resnet8", CONV, 16, 16, 32, 64, 1, 2, 1, 415962, 0xb63e5560},
    {"r8_fc_64_10", "resnet8", FC, 1, 1, 64, 10, 1, 1, 1, 1835, 0x04080e59},
    {"vww_conv3x3_s2_96x96x3_8", "vww96", CONV, 96, 96, 3, 8, 3, 2, 1, 3138921, 0x3ae95fb1},
    {"vww_dw3x3_s1_48x48x8", "vww96", DEPTHWISE, 48, 48, 8, 8, 3, 1, 1, 1632105, 0xc48e0e05},
    {"vww_pw_48x48x8_16", "vww96", CONV, 48, 48, 8, 16, 1, 1, 1, 1973374, 0x88926c16},
    {"vww_dw3x3_s2_48x48x16", "vww96", DEPTHWISE, 48, 48, 16, 16, 3, 2, 1, 759829, 0x4a7b5f80},
    {"vww_pw_24x24x16_32", "vww96", CONV, 24, 24, 16, 32, 1, 1, 1, 1154886, 0xe7db5669},
    {"vww_dw3x3_s1_24x24x32", "vww96", DEPTHWISE, 24, 24, 32, 32, 3, 1, 1, 1448469, 0xc9471977},
    {"vww_pw_24x24x32_32", "vww96", CONV, 24, 24, 32, 32, 1, 1, 1, 1566534, 0x130130cf},
    {"vww_dw3x3_s2_24x24x32", "vww96", DEPTHWISE, 24, 24, 32, 32, 3, 2, 1, 362257, 0x9b50efcf},
    {"vww_pw_12x12x32_64", "vww96", CONV, 12, 12, 32, 64, 1, 1, 1, 789718, 0x3d2e81e9},
    {"vww_dw3x3_s1_12x12x64", "vww96", DEPTHWISE, 12, 12, 64, 64, 3, 1, 1, 696401, 0xde7613f5},
    {"vww_pw_12x12x64_64", "vww96", CONV, 12, 12, 64, 64, 1, 1, 1, 1205974, 0xf9f9f622},
    {"vww_dw3x3_s2_12x12x64", "vww96", DEPTHWISE, 12, 12, 64, 64, 3, 2, 1, 174019, 0x1d9dadcb},
    {"vww_pw_6x6x64_128", "vww96", CONV, 6, 6, 64, 128, 1, 1, 1, 625014, 0xabfaa1a2},
    {"vww_dw3x3_s1_6x6x128", "vww96", DEPTHWISE, 6, 6, 128, 128, 3, 1, 5, 331395, 0xef0d2273},
    {"vww_pw_6x6x128_128", "vww96", CONV, 6, 6, 128, 128, 1, 1, 5, 1059702, 0xba9f32fd},
    {"vww_dw3x3_s2_6x6x128", "vww96", DEPTHWISE, 6, 6, 128, 128, 3, 2, 1, 82663, 0x11680209},
    {"vww_pw_3x3x128_256", "vww96", CONV, 3, 3, 128, 256, 1, 1, 1, 625846, 0x5b943006},
    {"vww_dw3x3_s1_3x3x256", "vww96", DEPTHWISE, 3, 3, 256, 256, 3, 1, 1, 152615, 0x73a362c2},
    {"vww_pw_3x3x256_256", "vww96", CONV, 3, 3, 256, 256, 1, 1, 1, 1147062, 0xd8d78c51},
    {"vww_fc_256_2", "vww96", FC, 1, 1, 256, 2, 1, 1, 1, 1199, 0xb127849f},
};

#define N_SHAPES (sizeof shapes / sizeof shapes[0])

/* The largest operands: VWW's 96x96x3 input, 48x48x16 output, 256x256
 * weights. */
static int8_t input[96 * 96 * 3];
static int8_t output[48 * 48 * 16];
static int8_t weights[256 * 256];
static int32_t bias[256], multiplier[256], shift[256];

static uint32_t lcg_state;

static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

static void fill(int8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = (int8_t)lcg();
}

/* TFLite's SAME padding: ceil(in / stride) outputs, the odd pixel after. */
static int32_t same_out(int32_t in, int32_t stride)
{
    return (in + stride - 1) / stride;
}

static int32_t same_pad(int32_t in, int32_t k, int32_t stride)
{
    int32_t total = (same_out(in, stride) - 1) * stride + k - in;
    return total > 0 ? total / 2 : 0;
}

/* Per output channel: a multiplier in [2^30, 2^31) and a right shift that
 * brings a typical sum of fan_in products (|x + offset| ~ 128, |w| ~ 64)
 * into the int8 range, so that outputs are spread and some saturate. */
static void fill_requant(int32_t channels, int32_t fan_in)
{
    int32_t e = 0;
    while ((1 << e) < fan_in)
        e++;
    for (int32_t c = 0; c < channels; c++) {
        multiplier[c] = (int32_t)(0x40000000u + (lcg() << 6 & 0x3FFFFFFFu));
        shift[c] = -(6 + e / 2 + (int32_t)(lcg() % 3u));
        bias[c] = (int32_t)(lcg() % 8001u) - 4000;
    }
}

static uint32_t fnv1a(const int8_t *p, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 16777619u;
    return h;
}

static void put(const char *s, uint64_t v)
{
    hal_puts(s);
    hal_put_dec(v);
}

static uint32_t run_shape(const shape_t *s, uint64_t *macs)
{
    int32_t oh = same_out(s->h, s->stride), ow = same_out(s->w, s->stride);
    int32_t taps = s->k * s->k * (s->kind == DEPTHWISE ? 1 : s->in_c);
    uint32_t n_in = (uint32_t)(s->h * s->w * s->in_c), n_out = (uint32_t)(oh * ow * s->out_c);
    uint32_t n_w = (uint32_t)(s->kind == DEPTHWISE ? taps * s->out_c : taps * s->out_c);
    lcg_state = 12345u;
    fill(input, n_in);
    fill(weights, n_w);
    fill_requant(s->out_c, taps);
    *macs = (uint64_t)oh * (uint64_t)ow * (uint64_t)s->out_c * (uint64_t)taps;
    if (s->kind == FC) {
        msf_fc_params p = {128, -5, -128, 127, 1, multiplier, shift, weights, bias, s->in_c, s->out_c};
        hal_insn_begin();
        fully_connected_s8(&p, input, 1, output);
        hal_insn_end();
    } else {
        int32_t pad = same_pad(s->h, s->k, s->stride);
        msf_conv_params p = {s->stride, s->stride, pad, pad, s->k, s->k, 1, 128, -128, -128, 127,
                             multiplier, shift, weights, bias};
        msf_hwc in_shape = {s->h, s->w, s->in_c}, out_shape = {oh, ow, s->out_c};
        msf_in_window in = {input, 0, 0, s->w * s->in_c};
        msf_out_rect out = {output, 0, 0, oh, ow, ow * s->out_c};
        hal_insn_begin();
        if (s->kind == CONV)
            conv2d_s8(&p, in_shape, in, out_shape, out);
        else
            depthwise_conv2d_s8(&p, in_shape, in, out_shape, out);
        hal_insn_end();
    }
    return fnv1a(output, n_out);
}

int main(void)
{
    hal_insn_begin();
    hal_insn_end();
    for (uint32_t i = 0; i < N_SHAPES; i++) {
        const shape_t *s = &shapes[i];
        uint64_t macs;
        uint32_t hash = run_shape(s, &macs);
        hal_puts("msf: shape ");
        hal_puts(s->name);
        hal_puts(" ");
        hal_puts(s->model);
        put(" ", (uint64_t)s->count);
        put(" ", macs);
        put(" ", s->cmsis);
        hal_puts(" ");
        hal_put_hex(hash);
        hal_puts(" ");
        hal_put_hex(s->want);
        hal_puts("\n");
    }
    return 0;
}
