/* concatenation_s8: hand-computed concatenations along channels and rows,
 * and a reference that picks, for each output element, the input its
 * coordinate along the axis falls in, on seeded random cases. */
#include "kernels/kernel_ref.h"

static void test_hand(void)
{
    const int32_t dims[2][4] = {{1, 1, 2, 2}, {1, 1, 2, 1}};
    const int8_t a[4] = {1, 2, 3, 4}, b[2] = {-1, -2};
    const int8_t *ins[2] = {a, b};
    msf_concat_params pc = {3};
    const int8_t want_c[6] = {1, 2, -1, 3, 4, -2};
    int8_t out[6];
    concatenation_s8(&pc, ins, dims, 2, out);
    check_bytes_equal("channels", out, want_c, 6);

    const int32_t rdims[2][4] = {{1, 1, 2, 2}, {1, 2, 2, 2}};
    const int8_t c[8] = {5, 6, 7, 8, 9, 10, 11, 12};
    const int8_t *rins[2] = {a, c};
    msf_concat_params pr = {1};
    const int8_t want_r[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    int8_t rout[12];
    concatenation_s8(&pr, rins, rdims, 2, rout);
    check_bytes_equal("rows", rout, want_r, 12);
}

static void test_random(void)
{
    for (int k = 0; k < 300; k++) {
        rng_t r = rng_seed((uint64_t)k + 11000);
        int32_t n = rng_int(&r, 1, 4), axis = rng_int(&r, 0, 3);
        int32_t dims[4][4], out_dims[4];
        int8_t data[4][625];
        const int8_t *ins[4];
        for (int d = 0; d < 4; d++)
            out_dims[d] = d == axis ? 0 : rng_int(&r, 1, 5);
        for (int32_t i = 0; i < n; i++) {
            for (int d = 0; d < 4; d++)
                dims[i][d] = d == axis ? rng_int(&r, 1, 5) : out_dims[d];
            out_dims[axis] += dims[i][axis];
            rng_fill_s8(&r, data[i], sizeof data[i]);
            ins[i] = data[i];
        }
        int8_t got[2500], want[2500];
        int32_t o[4];
        size_t flat = 0;
        for (o[0] = 0; o[0] < out_dims[0]; o[0]++)
            for (o[1] = 0; o[1] < out_dims[1]; o[1]++)
                for (o[2] = 0; o[2] < out_dims[2]; o[2]++)
                    for (o[3] = 0; o[3] < out_dims[3]; o[3]++) {
                        int32_t i = 0, at[4] = {o[0], o[1], o[2], o[3]};
                        while (at[axis] >= dims[i][axis])
                            at[axis] -= dims[i++][axis];
                        want[flat++] = data[i][broadcast_index(dims[i], at)];
                    }
        msf_concat_params p = {axis};
        concatenation_s8(&p, ins, (const int32_t(*)[4])dims, n, got);
        check_bytes_equal("concatenation random", got, want, flat);
    }
}

int main(void)
{
    test_hand();
    test_random();
    return check_summary();
}
