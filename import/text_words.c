#include <stdio.h>
#include <string.h>

#include "quant_params.h"
#include "text_words.h"

const char *token_show(token t, char buf[SHOWN_CHARS + 4])
{
    size_t n = t.n < SHOWN_CHARS ? t.n : SHOWN_CHARS;
    for (size_t i = 0; i < n; i++)
        buf[i] = t.p[i] >= 0x20 && t.p[i] < 0x7f ? t.p[i] : '?';
    strcpy(buf + n, t.n > n ? "..." : "");
    return buf;
}

int token_is(token t, const char *word)
{
    return t.n == strlen(word) && memcmp(t.p, word, t.n) == 0;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

int next_token(const char **s, const char *end, token *t)
{
    while (*s < end && is_blank(**s))
        (*s)++;
    t->p = *s;
    while (*s < end && !is_blank(**s))
        (*s)++;
    t->n = (size_t)(*s - t->p);
    return t->n > 0;
}

int token_number(token t, int32_t lo, int32_t hi, int32_t *v, char *msg, size_t msg_size)
{
    char buf[SHOWN_CHARS + 4];
    int64_t x = 0;
    if (t.n == 0) {
        snprintf(msg, msg_size, "a number is missing");
        return -1;
    }
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] < '0' || t.p[i] > '9') {
            snprintf(msg, msg_size, "'%s' is not a number", token_show(t, buf));
            return -1;
        }
        x = 10 * x + (t.p[i] - '0');
        if (x > hi)
            break;
    }
    if (x < lo || x > hi) {
        snprintf(msg, msg_size, "'%s' out of range (%d..%d)", token_show(t, buf), lo, hi);
        return -1;
    }
    *v = (int32_t)x;
    return 0;
}

int token_activation(token t, int32_t *act, char *msg, size_t msg_size)
{
    char buf[SHOWN_CHARS + 4];
    if (token_is(t, "none"))
        *act = MSF_ACT_NONE;
    else if (token_is(t, "relu"))
        *act = MSF_ACT_RELU;
    else if (token_is(t, "relu6"))
        *act = MSF_ACT_RELU6;
    else {
        snprintf(msg, msg_size, "act: '%s' is not none, relu or relu6", token_show(t, buf));
        return -1;
    }
    return 0;
}
