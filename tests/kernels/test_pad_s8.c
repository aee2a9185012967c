/* pad_s8: hand-computed border and channel padding, and a reference that
 * fills the output and scatters the input into it, on seeded random cases. */
#include "kernels/kernel_ref.h"

static void test_border(void)
{
    const int32_t dims[4] = {1, 2, 2, 1};
    const int8_t input[4] = {1, 2, 3, 4};
    msf_pad_params p = {{0, 1, 0, 0}, {0, 0, 1, 0}, 9};
    const int8_t want[9] = {9, 9, 9, 1, 2, 9, 3, 4, 9};
    int8_t out[9];
    pad_s8(&p, input, dims, out);
    check_bytes_equal("border", out, want, 9);
}

static void test_channels(void)
{
    const int32_t dims[4] = {1, 1, 2, 2};
    const int8_t input[4] = {1, 2, 3, 4};
    msf_pad_params p = {{0, 0, 0, 1}, {0, 0, 0, 2}, -128};
    const int8_t want[10] = {-128, 1, 2, -128, -128, -128, 3, 4, -128, -128};
    int8_t out[10];
    pad_s8(&p, input, dims, out);
    check_bytes_equal("channels", out, want, 10);
}

static void test_random(void)
{
    for (int k = 0; k < 300; k++) {
        rng_t r = rng_seed((uint64_t)k + 9000);
        int32_t in_dims[4], out_dims[4];
        msf_pad_params p;
        for (int d = 0; d < 4; d++) {
            in_dims[d] = rng_int(&r, 1, d == 0 ? 2 : 5);
            p.before[d] = rng_int(&r, 0, 2);
            p.after[d] = rng_int(&r, 0, 2);
            out_dims[d] = p.before[d] + in_dims[d] + p.after[d];
        }
        p.value = (int8_t)rng_int(&r, -128, 127);
        int8_t input[2 * 5 * 5 * 5], got[6 * 9 * 9 * 9], want[6 * 9 * 9 * 9];
        rng_fill_s8(&r, input, sizeof input);
        size_t n_out = (size_t)elements_of(out_dims);
        memset(want, p.value, n_out);
        int32_t i[4];
        size_t flat = 0;
        for (i[0] = 0; i[0] < in_dims[0]; i[0]++)
            for (i[1] = 0; i[1] < in_dims[1]; i[1]++)
                for (i[2] = 0; i[2] < in_dims[2]; i[2]++)
                    for (i[3] = 0; i[3] < in_dims[3]; i[3]++) {
                        size_t o = 0;
                        for (int d = 0; d < 4; d++)
                            o = o * out_dims[d] + (size_t)(i[d] + p.before[d]);
                        want[o] = input[flat++];
                    }
        pad_s8(&p, input, in_dims, got);
        check_bytes_equal("pad random", got, want, n_out);
    }
}

int main(void)
{
    test_border();
    test_channels();
    test_random();
    return check_summary();
}
