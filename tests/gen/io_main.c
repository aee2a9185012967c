/* The I/O part of a generated NAME.h (GEN_HEADER, names GEN_NAME / GEN_UPPER
 * as for gen_main.c) for the demo model: the macros agree with each other,
 * the quantize helpers round and saturate as TFLite's QUANTIZE and invert
 * dequantize, and the labels read back as written. Exit 0 when all hold. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include GEN_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define UP(x) CAT(GEN_UPPER, x)
#define LOW(x) CAT(GEN_NAME, x)

static int failed;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("FAIL %s\n", what);
        failed = 1;
    }
}

int main(void)
{
    static const int32_t in_dims[] = UP(_INPUT0_DIMS), out_dims[] = UP(_OUTPUT0_DIMS);
    int32_t n = 1;
    for (int32_t i = 0; i < UP(_INPUT0_RANK); i++)
        n *= in_dims[i];
    check(n == UP(_INPUT0_ELEMENTS), "input dims and elements");
    check(UP(_INPUT0_BYTES) == UP(_INPUT0_ELEMENTS) * sizeof(UP(_INPUT0_TYPE)), "input bytes");
    check(UP(_INPUT0_BYTES) == UP(_INPUT_BYTES), "one input: its bytes are the input's");
    check(out_dims[UP(_OUTPUT0_RANK) - 1] == UP(_N_LABELS), "a label per class");
    for (int q = -128; q < 128; q++)
        check(LOW(_input0_quantize)(LOW(_input0_dequantize)((int8_t)q)) == q, "quantize inverts dequantize");
    float s = UP(_INPUT0_SCALE);
    int32_t zp = UP(_INPUT0_ZERO_POINT);
    /* Half a step rounds away from zero; beyond the range saturates. */
    check(LOW(_input0_quantize)(s * (10 - zp) + 0.5f * s) == 11 || zp + 11 > 127, "half rounds up");
    check(LOW(_input0_quantize)(1e30f) == 127 && LOW(_input0_quantize)(-1e30f) == -128, "saturation");
    check(LOW(_input0_quantize)(NAN) == -128, "NaN defined");
    check(strcmp(LOW(_label)(0), "a \"quoted\" \\ back?\?=slash") == 0, "label 0 escaped");
    check(strcmp(LOW(_label)(1), "caf\xc3\xa9 */") == 0, "label 1 bytes");
    check(LOW(_label)(-1) == NULL && LOW(_label)(UP(_N_LABELS)) == NULL, "labels out of range");
    if (!failed)
        printf("header I/O checked: %s, %s\n", LOW(_label)(0), LOW(_label)(UP(_N_LABELS) - 1));
    return failed;
}
