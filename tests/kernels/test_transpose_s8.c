/* transpose_s8: hand-computed permutations, and a reference that walks the
 * input and scatters each element to its permuted place, on seeded random
 * shapes and permutations. */
#include "kernels/kernel_ref.h"

static void test_hand(void)
{
    /* [1,2,3,1] with H and W swapped */
    const int32_t dims_hw[4] = {1, 2, 3, 1};
    const int8_t hw[6] = {1, 2, 3, 4, 5, 6};
    msf_transpose_params p = {{0, 2, 1, 3}};
    const int8_t want_hw[6] = {1, 4, 2, 5, 3, 6};
    int8_t out[6];
    transpose_s8(&p, hw, dims_hw, out);
    check_bytes_equal("swap H and W", out, want_hw, 6);
    /* NHWC [1,1,2,3] to NCHW [1,3,1,2] */
    const int32_t dims_c[4] = {1, 1, 2, 3};
    const int8_t c[6] = {1, 2, 3, 4, 5, 6};
    msf_transpose_params pc = {{0, 3, 1, 2}};
    const int8_t want_c[6] = {1, 4, 2, 5, 3, 6};
    transpose_s8(&pc, c, dims_c, out);
    check_bytes_equal("channels first", out, want_c, 6);
    msf_transpose_params pid = {{0, 1, 2, 3}};
    transpose_s8(&pid, c, dims_c, out);
    check_bytes_equal("identity", out, c, 6);
}

static void test_random(void)
{
    for (int k = 0; k < 300; k++) {
        rng_t r = rng_seed((uint64_t)k + 10000);
        int32_t dims[4], out_dims[4];
        msf_transpose_params p = {{0, 1, 2, 3}};
        for (int d = 3; d > 0; d--) {
            int j = rng_int(&r, 0, d);
            int32_t t = p.perm[d];
            p.perm[d] = p.perm[j];
            p.perm[j] = t;
        }
        for (int d = 0; d < 4; d++)
            dims[d] = rng_int(&r, 1, 6);
        for (int d = 0; d < 4; d++)
            out_dims[d] = dims[p.perm[d]];
        int8_t input[1296], got[1296], want[1296];
        rng_fill_s8(&r, input, sizeof input);
        int32_t i[4];
        size_t flat = 0;
        for (i[0] = 0; i[0] < dims[0]; i[0]++)
            for (i[1] = 0; i[1] < dims[1]; i[1]++)
                for (i[2] = 0; i[2] < dims[2]; i[2]++)
                    for (i[3] = 0; i[3] < dims[3]; i[3]++) {
                        size_t o = 0;
                        for (int d = 0; d < 4; d++)
                            o = o * out_dims[d] + (size_t)i[p.perm[d]];
                        want[o] = input[flat++];
                    }
        transpose_s8(&p, input, dims, got);
        check_bytes_equal("transpose random", got, want, flat);
    }
}

int main(void)
{
    test_hand();
    test_random();
    return check_summary();
}
