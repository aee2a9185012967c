/* The elementwise kernels in place (MSF_SCHEME_INPLACE, msf_inplace_gap 0):
 * ADD and MUL over either operand, LOGISTIC and HARD_SWISH, their output
 * starting at the operand's first byte or up to 7 bytes before it, give the
 * bytes they give out of place, on seeded random operands and parameters
 * (a broadcast other operand included). */
#include <string.h>

#include "kernels/kernel_ref.h"
#include "quant_params.h"

#define MAX_N 432 /* up to 2x6x6x6 */

typedef struct {
    msf_add_params add;
    msf_mul_params mul;
    msf_logistic_params logistic;
    msf_hard_swish_params hard_swish;
} op_params;

enum { OP_ADD, OP_MUL, OP_LOGISTIC, OP_HARD_SWISH, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"ADD", "MUL", "LOGISTIC", "HARD_SWISH"};

/* Operator `op` on operands a (dims da) and b (db) into out (dims od). */
static void run_op(int op, const op_params *p, const int8_t *a, const int32_t da[4], const int8_t *b,
                   const int32_t db[4], int8_t *out, const int32_t od[4], int32_t n)
{
    switch (op) {
    case OP_ADD: add_s8(&p->add, a, da, b, db, out, od); break;
    case OP_MUL: mul_s8(&p->mul, a, da, b, db, out, od); break;
    case OP_LOGISTIC: logistic_s8(&p->logistic, a, n, out); break;
    default: hard_swish_s8(&p->hard_swish, a, n, out); break;
    }
}

/* Operand k (of the output's shape) overwritten by the output starting gap
 * bytes before it, against the out-of-place bytes. */
static void check_in_place(int op, const op_params *p, const int8_t *in1, const int32_t d1[4], const int8_t *in2,
                           const int32_t d2[4], const int32_t od[4], int k, int32_t gap, int case_no)
{
    int32_t n = od[0] * od[1] * od[2] * od[3];
    int8_t want[MAX_N], arena[MAX_N + 8];
    run_op(op, p, in1, d1, in2, d2, want, od, n);
    int8_t *operand = arena + gap, *out = arena;
    memcpy(operand, k == 0 ? in1 : in2, (size_t)n);
    run_op(op, p, k == 0 ? operand : in1, d1, k == 1 ? operand : in2, d2, out, od, n);
    if (!check_bytes_equal(op_names[op], out, want, (size_t)n))
        fprintf(stderr, "  case %d: operand %d, output %d bytes before it\n", case_no, k, gap);
}

static int same_dims(const int32_t a[4], const int32_t b[4])
{
    return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

int main(void)
{
    int checked = 0;
    for (int c = 0; c < 400; c++) {
        rng_t r = rng_seed((uint64_t)c + 9000);
        int32_t od[4], d1[4], d2[4];
        rng_broadcast_dims(&r, od, d1, d2);
        float s1 = (float)rng_real(&r, 0.004, 0.2), s2 = (float)rng_real(&r, 0.004, 0.2);
        float so = (float)rng_real(&r, 0.004, 0.3);
        int32_t z1 = rng_zero_point(&r), z2 = rng_zero_point(&r), zo = rng_zero_point(&r);
        static const msf_activation acts[3] = {MSF_ACT_NONE, MSF_ACT_RELU, MSF_ACT_RELU6};
        op_params p;
        derive_add_params(s1, z1, s2, z2, so, zo, acts[c % 3], &p.add);
        derive_mul_params(s1, z1, s2, z2, so * s1 * s2 * 128.0f, zo, acts[c % 3], &p.mul);
        derive_logistic_params(s1, z1, &p.logistic);
        derive_hard_swish_params(s1, z1, so, zo, &p.hard_swish);
        int8_t in1[MAX_N], in2[MAX_N];
        rng_fill_s8(&r, in1, sizeof in1);
        rng_fill_s8(&r, in2, sizeof in2);
        int op = c % OP_COUNT;
        int32_t gap = (int32_t)(c / OP_COUNT % 8);
        /* The unary operators take operand 1 only (of the output's shape). */
        const int32_t *a = op >= OP_LOGISTIC ? od : d1;
        for (int k = 0; k < (op >= OP_LOGISTIC ? 1 : 2); k++)
            if (same_dims(k == 0 ? a : d2, od)) {
                check_in_place(op, &p, in1, a, in2, d2, od, k, gap, c);
                checked++;
            }
    }
    printf("%d in-place kernel calls byte-identical to out of place\n", checked);
    CHECK(checked > 200);
    return check_summary();
}
