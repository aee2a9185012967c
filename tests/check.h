/* Minimal test harness: CHECK records a failure and goes on; check_summary
 * prints the closing line CTest output readers understand and the exit code. */
#ifndef MSF_CHECK_H
#define MSF_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                      \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                     \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ == check_b_) {                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, \
                    __LINE__, #a, check_a_, #b, check_b_);                     \
        }                                                                      \
    } while (0)

/* Byte-exact comparison; names the first differing byte. */
static inline int check_bytes_equal(const char *what, const void *got, const void *want, size_t n)
{
    const unsigned char *g = (const unsigned char *)got, *w = (const unsigned char *)want;
    for (size_t i = 0; i < n; i++) {
        if (g[i] != w[i]) {
            check_failed++;
            fprintf(stderr, "%s: byte %zu of %zu is %d, expected %d\n", what, i, n,
                    (signed char)g[i], (signed char)w[i]);
            return 0;
        }
    }
    check_passed++;
    return 1;
}

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
