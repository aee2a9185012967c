/* The conv, depthwise and fully connected kernels on seeded random cases
 * chosen for their paths' edges: pairs of pixels and single pixels (odd
 * widths, windows clipped by padding, strides 1 to 3), odd channel counts
 * and kernel rows that are not whole words (input channels 1 to 9), 1x1,
 * 1xN, 3x3 and 5x5 kernels, depthwise groups of four channels and their
 * remainder, depth multiplier 2, shifts of both signs, with and without
 * bias; each case whole and as tiles (output rectangles computed from
 * offset input windows). Prints one line a case, "case K HASH", the FNV-1a
 * of its output bytes, and "cases N".
 *
 * run_kernel_cases.sh builds it for the host (portable C, checked against
 * plain references by tests/kernels) and as firmware for m4 and m7 (the DSP
 * path), m7 with -DMSF_NO_DSP and rv32 (the portable path), and requires
 * the same lines from every build. The firmware is built with
 * -DKERNEL_CASES_FIRMWARE (targets/hal.h for output), the host without. */
#include <stdint.h>

#include "msf_kernels.h"

#ifdef KERNEL_CASES_FIRMWARE
#include "hal.h"
#else
#include <stdio.h>

static void hal_puts(const char *s)
{
    fputs(s, stdout);
}

static void hal_put_dec(uint64_t v)
{
    printf("%llu", (unsigned long long)v);
}

static void hal_put_hex(uint32_t v)
{
    printf("0x%08x", (unsigned)v);
}

static void hal_insn_begin(void)
{
}

static void hal_insn_end(void)
{
}
#endif

/* Small enough for rv32's 16 KiB with the stack. */
#define MAX_IN 1600
#define MAX_OUT 1600
#define MAX_W 2400
#define MAX_C 40

static int8_t input[MAX_IN], output[MAX_OUT], weights[MAX_W];
static int32_t bias[MAX_C], multiplier[MAX_C], shift[MAX_C], acc[MAX_C];

static uint32_t state;

static uint32_t next(void)
{
    state = state * 1664525u + 1013904223u;
    return state >> 8;
}

/* Uniform in [lo, hi]. */
static int32_t pick(int32_t lo, int32_t hi)
{
    return lo + (int32_t)(next() % (uint32_t)(hi - lo + 1));
}

static void fill(int8_t *p, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        p[i] = (int8_t)next();
}

/* Per channel: a multiplier in [2^30, 2^31), a shift in [-12, -4] or, in
 * half the cases, now and then in [0, 2] (TFLite's left shift, which the
 * written-out requantization leaves to C), a bias up to 2^16. */
static void fill_requant(int32_t channels)
{
    int left_shifts = pick(0, 1);
    for (int32_t c = 0; c < channels; c++) {
        multiplier[c] = (int32_t)(0x40000000u | (next() << 7 & 0x3FFFFFFFu));
        shift[c] = left_shifts && pick(0, 5) == 0 ? pick(0, 2) : pick(-12, -4);
        bias[c] = pick(-65536, 65536);
    }
}

static uint32_t hash;

static void hash_bytes(const int8_t *p, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        hash = (hash ^ (uint8_t)p[i]) * 16777619u;
}

static int32_t imin(int32_t a, int32_t b)
{
    return a < b ? a : b;
}

static int32_t imax(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

typedef void (*spatial_fn)(const msf_conv_params *p, msf_hwc in_shape, msf_in_window in, msf_hwc out_shape,
                           msf_out_rect out);

/* The whole map, then the output cut into rows x columns of tiles, each
 * from the input window it needs (whose first byte is the window's). */
static void run_spatial(spatial_fn fn, const msf_conv_params *p, msf_hwc is, msf_hwc os)
{
    msf_in_window whole_in = {input, 0, 0, is.w * is.c};
    msf_out_rect whole_out = {output, 0, 0, os.h, os.w, os.w * os.c};
    fn(p, is, whole_in, os, whole_out);
    hash_bytes(output, os.h * os.w * os.c);
    int32_t ty = pick(1, os.h), tx = pick(1, os.w);
    for (int32_t y0 = 0; y0 < os.h; y0 += ty)
        for (int32_t x0 = 0; x0 < os.w; x0 += tx) {
            int32_t h = imin(ty, os.h - y0), w = imin(tx, os.w - x0);
            int32_t iy0 = imax(0, y0 * p->stride_h - p->pad_top), ix0 = imax(0, x0 * p->stride_w - p->pad_left);
            iy0 = imin(iy0, is.h - 1);
            ix0 = imin(ix0, is.w - 1);
            msf_in_window in = {input + (iy0 * is.w + ix0) * is.c, iy0, ix0, is.w * is.c};
            msf_out_rect out = {output, y0, x0, h, w, w * os.c};
            fn(p, is, in, os, out);
            hash_bytes(output, h * w * os.c);
        }
}

static void conv_case(void)
{
    static const int32_t kernels[][2] = {{1, 1}, {3, 3}, {3, 3}, {1, 3}, {5, 5}, {2, 2}};
    int32_t k = pick(0, 5), kh = kernels[k][0], kw = kernels[k][1];
    int32_t stride = pick(1, 3), same = pick(0, 1);
    msf_hwc is = {pick(kh, 9), pick(kw, 11), pick(1, 9)}, os;
    int32_t out_c = pick(1, 9);
    os.c = out_c;
    os.h = same ? (is.h + stride - 1) / stride : (is.h - kh) / stride + 1;
    os.w = same ? (is.w + stride - 1) / stride : (is.w - kw) / stride + 1;
    int32_t pad_h = same ? imax(0, ((os.h - 1) * stride + kh - is.h) / 2) : 0;
    int32_t pad_w = same ? imax(0, ((os.w - 1) * stride + kw - is.w) / 2) : 0;
    fill(input, is.h * is.w * is.c);
    fill(weights, out_c * kh * kw * is.c);
    fill_requant(out_c);
    msf_conv_params p = {stride, stride, pad_h, pad_w, kh, kw, 1, pick(-128, 128), pick(-128, 127), -128, 127,
                         multiplier, shift, weights, pick(0, 3) ? bias : 0};
    if (pick(0, 1)) {
        p.act_min = pick(-128, 0);
        p.act_max = pick(1, 127);
    }
    run_spatial(conv2d_s8, &p, is, os);
}

static void depthwise_case(void)
{
    int32_t k = pick(0, 3) ? 3 : pick(1, 5), stride = pick(1, 2), dm = pick(0, 3) ? 1 : 2;
    msf_hwc is = {pick(k, 8), pick(k, 9), pick(1, 19)}, os;
    os.c = is.c * dm;
    os.h = (is.h + stride - 1) / stride;
    os.w = (is.w + stride - 1) / stride;
    int32_t pad_h = imax(0, ((os.h - 1) * stride + k - is.h) / 2);
    int32_t pad_w = imax(0, ((os.w - 1) * stride + k - is.w) / 2);
    fill(input, is.h * is.w * is.c);
    fill(weights, k * k * os.c);
    fill_requant(os.c);
    msf_conv_params p = {stride, stride, pad_h, pad_w, k, k, dm, pick(-128, 128), pick(-128, 127), -128, 127,
                         multiplier, shift, weights, pick(0, 3) ? bias : 0};
    run_spatial(depthwise_conv2d_s8, &p, is, os);
}

static void fc_case(void)
{
    int32_t n = pick(1, 70), units = pick(1, 21), batches = pick(1, 2);
    fill(input, n * batches);
    fill(weights, n * units);
    fill_requant(units);
    msf_fc_params p = {pick(-128, 128), pick(-128, 127), -128, 127, pick(0, 1), multiplier, shift, weights,
                       pick(0, 3) ? bias : 0, n, units};
    fully_connected_s8(&p, input, batches, output);
    hash_bytes(output, units * batches);
    /* One batch a slice at a time, as a fused block feeds it. */
    for (int32_t u = 0; u < units; u++)
        acc[u] = 0;
    for (int32_t first = 0; first < n;) {
        int32_t m = imin(pick(1, 9), n - first);
        fully_connected_accumulate_s8(&p, input + first, first, m, (uint8_t *)acc);
        first += m;
    }
    fully_connected_finish_s8(&p, (const uint8_t *)acc, output);
    hash_bytes(output, units);
}

int main(void)
{
    int32_t n = 0;
    /* An empty region (the markers' cost), then the cases: the regions
     * run_qemu.sh reads. */
    hal_insn_begin();
    hal_insn_end();
    hal_insn_begin();
    for (uint32_t seed = 1; seed <= 300; seed++, n++) {
        state = seed;
        hash = 2166136261u;
        switch (seed % 3) {
        case 0: conv_case(); break;
        case 1: depthwise_case(); break;
        default: fc_case(); break;
        }
        hal_puts("case ");
        hal_put_dec(seed);
        hal_puts(" ");
        hal_put_hex(hash);
        hal_puts("\n");
    }
    hal_insn_end();
    hal_puts("cases ");
    hal_put_dec((uint64_t)n);
    hal_puts("\n");
    return 0;
}
