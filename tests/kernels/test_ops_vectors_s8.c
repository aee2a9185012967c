/* The weight-free single-operator cases of ../shared/reference/ops run
 * straight through the kernels, with parameters derived from the scales in
 * INDEX.tsv (printed with 9 significant digits: the float32 values exactly),
 * compared byte for byte with TensorFlow Lite Micro's outputs. The cases
 * with weights or constant operands go through the importer elsewhere.
 * Exits 77 (skipped) without the shared folder. */
#include <stdio.h>

#include "kernels/kernel_ref.h"

typedef enum { ADD, MUL, AVG_POOL, MAX_POOL, MEAN, PAD, TRANSPOSE, CONCAT, RESIZE, QUANTIZE, DEQUANTIZE } op_kind;

typedef struct {
    const char *name;
    op_kind op;
    int32_t in1[4], in2[4]; /* in2: the second operand of ADD, MUL, CONCAT */
    float s1, s2, s_out;
    int32_t zp1, zp2, zp_out;
    msf_activation act;
    /* pools: filter h, w, stride h, w, SAME; MEAN: axes mask; PAD: before[4],
     * after[4], value; TRANSPOSE: perm; CONCAT: axis; RESIZE: out h, w,
     * align_corners, half_pixel_centers */
    int32_t arg[9];
} vcase;

#define NONE MSF_ACT_NONE
#define RELU MSF_ACT_RELU
#define RELU6 MSF_ACT_RELU6
#define SAME_QUANT(s, zp) s, 0.0f, s, zp, 0, zp

static const vcase cases[] = {
    {"add_same_none_8x8x8", ADD, {1, 8, 8, 8}, {1, 8, 8, 8}, 0.0128873484f, 0.129288211f, 0.134547874f, 55, -72, -64, NONE, {0}},
    {"add_same_relu_7x9x5", ADD, {1, 7, 9, 5}, {1, 7, 9, 5}, 0.0966795981f, 0.044659961f, 0.129687041f, 44, -37, 20, RELU, {0}},
    {"add_same_relu6_5x5x16", ADD, {1, 5, 5, 16}, {1, 5, 5, 16}, 0.0919929221f, 0.154928625f, 0.224057809f, 22, 35, 34, RELU6, {0}},
    {"add_samescale_none_9x9x8", ADD, {1, 9, 9, 8}, {1, 9, 9, 8}, 0.0880138129f, 0.0880138129f, 0.158606067f, -59, 97, 21, NONE, {0}},
    {"mul_same_none_8x8x8", MUL, {1, 8, 8, 8}, {1, 8, 8, 8}, 0.0134385843f, 0.0960941464f, 0.242839724f, 87, -90, 90, NONE, {0}},
    {"mul_same_relu_7x9x5", MUL, {1, 7, 9, 5}, {1, 7, 9, 5}, 0.0100782607f, 0.112872556f, 0.187575907f, -21, 67, 21, RELU, {0}},
    {"mul_bcast_se_none_7x7x16", MUL, {1, 7, 7, 16}, {1, 1, 1, 16}, 0.0350733213f, 0.0120929731f, 0.0785072818f, 84, -8, 10, NONE, {0}},
    {"mul_bcast_se_relu6_9x9x8", MUL, {1, 9, 9, 8}, {1, 1, 1, 8}, 0.0847836286f, 0.0127058793f, 0.174220771f, -31, 62, 31, RELU6, {0}},
    {"avgpool_2x2_s2_valid_none_8x8x8", AVG_POOL, {1, 8, 8, 8}, {0}, SAME_QUANT(0.037632741f, 106), NONE, {2, 2, 2, 2, 0}},
    {"avgpool_2x2_s2_same_relu_7x9x5", AVG_POOL, {1, 7, 9, 5}, {0}, SAME_QUANT(0.0056650117f, -56), RELU, {2, 2, 2, 2, 1}},
    {"avgpool_3x3_s2_same_none_13x13x8", AVG_POOL, {1, 13, 13, 8}, {0}, SAME_QUANT(0.00682178326f, -103), NONE, {3, 3, 2, 2, 1}},
    {"avgpool_3x3_s2_valid_relu6_13x13x5", AVG_POOL, {1, 13, 13, 5}, {0}, SAME_QUANT(0.00602558767f, -2), RELU6, {3, 3, 2, 2, 0}},
    {"avgpool_3x3_s3_valid_none_9x9x16", AVG_POOL, {1, 9, 9, 16}, {0}, SAME_QUANT(0.0278272294f, -99), NONE, {3, 3, 3, 3, 0}},
    {"avgpool_25x5_s1_valid_none_25x5x16", AVG_POOL, {1, 25, 5, 16}, {0}, SAME_QUANT(0.0401565395f, 42), NONE, {25, 5, 1, 1, 0}},
    {"maxpool_2x2_s2_valid_none_8x8x8", MAX_POOL, {1, 8, 8, 8}, {0}, SAME_QUANT(0.0877826214f, -96), NONE, {2, 2, 2, 2, 0}},
    {"maxpool_2x2_s2_same_relu_7x9x5", MAX_POOL, {1, 7, 9, 5}, {0}, SAME_QUANT(0.0116682276f, -3), RELU, {2, 2, 2, 2, 1}},
    {"maxpool_3x3_s2_same_none_13x13x8", MAX_POOL, {1, 13, 13, 8}, {0}, SAME_QUANT(0.0184210148f, 29), NONE, {3, 3, 2, 2, 1}},
    {"maxpool_3x3_s2_valid_relu6_13x13x5", MAX_POOL, {1, 13, 13, 5}, {0}, SAME_QUANT(0.0165597387f, -121), RELU6, {3, 3, 2, 2, 0}},
    {"maxpool_3x3_s3_valid_none_9x9x16", MAX_POOL, {1, 9, 9, 16}, {0}, SAME_QUANT(0.075435847f, 86), NONE, {3, 3, 3, 3, 0}},
    {"maxpool_25x5_s1_valid_none_25x5x16", MAX_POOL, {1, 25, 5, 16}, {0}, SAME_QUANT(0.0277915802f, 124), NONE, {25, 5, 1, 1, 0}},
    {"mean_ax12_keep_7x7x16", MEAN, {1, 7, 7, 16}, {0}, 0.099076651f, 0.0f, 0.0474461205f, -78, 0, -128, NONE, {6}},
    {"mean_ax12_nokeep_5x9x8", MEAN, {1, 5, 9, 8}, {0}, 0.086461924f, 0.0f, 0.0674759299f, 119, 0, 127, NONE, {6}},
    {"mean_ax12_keep_samescale_6x6x8", MEAN, {1, 6, 6, 8}, {0}, SAME_QUANT(0.0108761135f, 18), NONE, {6}},
    {"mean_ax2_keep_7x9x8", MEAN, {1, 7, 9, 8}, {0}, 0.0263609644f, 0.0f, 0.0260543283f, 46, 0, 45, NONE, {4}},
    {"mean_ax1_keep_7x1x8", MEAN, {1, 7, 1, 8}, {0}, 0.0113077164f, 0.0f, 0.0161650553f, -41, 0, -39, NONE, {2}},
    {"mean_ax3_keep_6x6x16", MEAN, {1, 6, 6, 16}, {0}, 0.0292354338f, 0.0f, 0.0292511117f, 121, 0, 127, NONE, {8}},
    {"mean_ax3_nokeep_5x7x12", MEAN, {1, 5, 7, 12}, {0}, 0.0064136819f, 0.0f, 0.00919637736f, -118, 0, -80, NONE, {8}},
    {"pad_hw_asym_7x9x5", PAD, {1, 7, 9, 5}, {0}, SAME_QUANT(0.00631765462f, -51), NONE, {0, 1, 0, 0, 0, 2, 1, 0, -51}},
    {"pad_hw_asym_6x6x8", PAD, {1, 6, 6, 8}, {0}, SAME_QUANT(0.036588721f, 94), NONE, {0, 2, 3, 0, 0, 1, 0, 0, 94}},
    {"pad_channels_4x4x5", PAD, {1, 4, 4, 5}, {0}, SAME_QUANT(0.0218119547f, -128), NONE, {0, 0, 0, 1, 0, 0, 0, 2, -128}},
    {"padv2_hw_asym_const_5x7x3", PAD, {1, 5, 7, 3}, {0}, SAME_QUANT(0.00881908182f, -62), NONE, {0, 1, 2, 0, 0, 0, 1, 0, -7}},
    {"padv2_hwc_const_4x5x4", PAD, {1, 4, 5, 4}, {0}, SAME_QUANT(0.00658996962f, -120), NONE, {0, 0, 1, 0, 0, 2, 1, 3, 100}},
    {"transpose_0312_5x7x8", TRANSPOSE, {1, 5, 7, 8}, {0}, SAME_QUANT(0.0283779055f, 76), NONE, {0, 3, 1, 2}},
    {"transpose_0231_8x5x7", TRANSPOSE, {1, 8, 5, 7}, {0}, SAME_QUANT(0.0324151106f, 46), NONE, {0, 2, 3, 1}},
    {"concat_ax3_6x6x8_6x6x5", CONCAT, {1, 6, 6, 8}, {1, 6, 6, 5}, SAME_QUANT(0.0126100183f, 7), NONE, {3}},
    {"concat_ax3_4x4x16_4x4x16", CONCAT, {1, 4, 4, 16}, {1, 4, 4, 16}, SAME_QUANT(0.0753562301f, 96), NONE, {3}},
    {"resize_nn_2x_ac0_hpc0_4x5x8", RESIZE, {1, 4, 5, 8}, {0}, SAME_QUANT(0.0961615518f, -95), NONE, {8, 10, 0, 0}},
    {"resize_nn_2x_ac1_hpc0_4x5x8", RESIZE, {1, 4, 5, 8}, {0}, SAME_QUANT(0.074782148f, -93), NONE, {8, 10, 1, 0}},
    {"resize_nn_2x_ac0_hpc1_4x5x8", RESIZE, {1, 4, 5, 8}, {0}, SAME_QUANT(0.0361820087f, -23), NONE, {8, 10, 0, 1}},
    {"resize_nn_2x_ac1_hpc1_4x5x8", RESIZE, {1, 4, 5, 8}, {0}, SAME_QUANT(0.0124129653f, -66), NONE, {8, 10, 1, 1}},
    {"resize_nn_3x5_to_7x9_ac0_hpc0", RESIZE, {1, 3, 5, 4}, {0}, SAME_QUANT(0.0199242271f, -104), NONE, {7, 9, 0, 0}},
    {"resize_nn_3x5_to_7x9_ac1_hpc0", RESIZE, {1, 3, 5, 4}, {0}, SAME_QUANT(0.0811292008f, -118), NONE, {7, 9, 1, 0}},
    {"resize_nn_3x5_to_7x9_ac0_hpc1", RESIZE, {1, 3, 5, 4}, {0}, SAME_QUANT(0.00844276417f, 47), NONE, {7, 9, 0, 1}},
    {"resize_nn_3x5_to_7x9_ac1_hpc1", RESIZE, {1, 3, 5, 4}, {0}, SAME_QUANT(0.00618131738f, 52), NONE, {7, 9, 1, 1}},
    {"quantize_f32_s0.02_zp-10_8x8x3", QUANTIZE, {1, 8, 8, 3}, {0}, SAME_QUANT(0.0199999996f, -10), NONE, {0}},
    {"quantize_f32_s0.05_zp3_6x6x8", QUANTIZE, {1, 6, 6, 8}, {0}, SAME_QUANT(0.0500000007f, 3), NONE, {0}},
    {"dequantize_s0.05_zp3_8x8x3", DEQUANTIZE, {1, 8, 8, 3}, {0}, SAME_QUANT(0.0500000007f, 3), NONE, {0}},
    {"dequantize_s0.0123_zp-128_6x6x8", DEQUANTIZE, {1, 6, 6, 8}, {0}, SAME_QUANT(0.0122999996f, -128), NONE, {0}},
};

#define MAX_BYTES 8192

static long read_bytes(const char *path, void *buf)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = (long)fread(buf, 1, MAX_BYTES, f);
    fclose(f);
    return n;
}

static void run_pool(const vcase *c, const int8_t *in, int8_t *out)
{
    const int32_t *a = c->arg;
    msf_pool_params p = {a[2], a[3], a[0], a[1], 0, 0, 0, 0};
    msf_hwc is = {c->in1[1], c->in1[2], c->in1[3]}, os = {0, 0, c->in1[3]};
    tfl_padding(a[4], is.h, a[0], a[2], &os.h, &p.pad_top);
    tfl_padding(a[4], is.w, a[1], a[3], &os.w, &p.pad_left);
    activation_range_s8(c->act, c->s_out, c->zp_out, &p.act_min, &p.act_max);
    msf_in_window win = {in, 0, 0, is.w * is.c};
    msf_out_rect rect = {out, 0, 0, os.h, os.w, os.w * os.c};
    (c->op == AVG_POOL ? avg_pool2d_s8 : max_pool2d_s8)(&p, is, win, os, rect);
}

/* Runs one case on one input; returns the number of output bytes. */
static long run_case(const vcase *c, const uint8_t *in_bytes, uint8_t *out_bytes)
{
    const int8_t *in = (const int8_t *)in_bytes, *in2 = in + elements_of(c->in1);
    int8_t *out = (int8_t *)out_bytes;
    const int32_t *a = c->arg;
    int32_t n = elements_of(c->in1);
    switch (c->op) {
    case ADD: {
        msf_add_params p;
        derive_add_params(c->s1, c->zp1, c->s2, c->zp2, c->s_out, c->zp_out, c->act, &p);
        add_s8(&p, in, c->in1, in2, c->in2, out, c->in1);
        return n;
    }
    case MUL: {
        msf_mul_params p;
        derive_mul_params(c->s1, c->zp1, c->s2, c->zp2, c->s_out, c->zp_out, c->act, &p);
        mul_s8(&p, in, c->in1, in2, c->in2, out, c->in1);
        return n;
    }
    case AVG_POOL:
    case MAX_POOL: {
        run_pool(c, in, out);
        int32_t oh, ow, pad;
        tfl_padding(a[4], c->in1[1], a[0], a[2], &oh, &pad);
        tfl_padding(a[4], c->in1[2], a[1], a[3], &ow, &pad);
        return (long)oh * ow * c->in1[3];
    }
    case MEAN: {
        msf_mean_params p;
        derive_mean_params(c->s1, c->zp1, c->s_out, c->zp_out, &p);
        p.axes_mask = (uint32_t)a[0];
        mean_s8(&p, in, c->in1, out);
        long m = 1;
        for (int d = 0; d < 4; d++)
            m *= (a[0] >> d) & 1 ? 1 : c->in1[d];
        return m;
    }
    case PAD: {
        msf_pad_params p = {{a[0], a[1], a[2], a[3]}, {a[4], a[5], a[6], a[7]}, (int8_t)a[8]};
        pad_s8(&p, in, c->in1, out);
        long m = 1;
        for (int d = 0; d < 4; d++)
            m *= a[d] + c->in1[d] + a[4 + d];
        return m;
    }
    case TRANSPOSE: {
        msf_transpose_params p = {{a[0], a[1], a[2], a[3]}};
        transpose_s8(&p, in, c->in1, out);
        return n;
    }
    case CONCAT: {
        msf_concat_params p = {a[0]};
        const int8_t *ins[2] = {in, in2};
        const int32_t dims[2][4] = {{c->in1[0], c->in1[1], c->in1[2], c->in1[3]},
                                    {c->in2[0], c->in2[1], c->in2[2], c->in2[3]}};
        concatenation_s8(&p, ins, dims, 2, out);
        return n + elements_of(c->in2);
    }
    case RESIZE: {
        msf_resize_params p = {a[2], a[3]};
        const int32_t od[4] = {c->in1[0], a[0], a[1], c->in1[3]};
        resize_nearest_s8(&p, in, c->in1, od, out);
        return elements_of(od);
    }
    case QUANTIZE: {
        msf_quantize_params p = {c->s_out, c->zp_out};
        quantize_f32_s8(&p, (const uint8_t *)in_bytes, n, out);
        return n;
    }
    case DEQUANTIZE: {
        msf_quantize_params p = {c->s1, c->zp1};
        dequantize_s8_f32(&p, in, n, (uint8_t *)out_bytes);
        return n * 4L;
    }
    }
    return 0;
}

int main(void)
{
    static uint8_t in[MAX_BYTES], want[MAX_BYTES], got[MAX_BYTES];
    char path[512];
    snprintf(path, sizeof path, "%s/reference/ops/INDEX.tsv", MSF_SHARED_DIR);
    if (read_bytes(path, in) < 0) {
        printf("skipped: %s not found\n", path);
        return 77;
    }
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int seed = 1; seed <= 2; seed++) {
            snprintf(path, sizeof path, "%s/reference/ops/%s/seed%d.in.bin", MSF_SHARED_DIR,
                     cases[i].name, seed);
            long n_in = read_bytes(path, in);
            snprintf(path, sizeof path, "%s/reference/ops/%s/seed%d.out.bin", MSF_SHARED_DIR,
                     cases[i].name, seed);
            long n_want = read_bytes(path, want);
            CHECK(n_in > 0 && n_want > 0);
            if (n_in <= 0 || n_want <= 0)
                continue;
            CHECK_EQ_INT(run_case(&cases[i], in, got), n_want);
            char what[160];
            snprintf(what, sizeof what, "%s seed%d", cases[i].name, seed);
            check_bytes_equal(what, got, want, (size_t)n_want);
        }
    }
    return check_summary();
}
