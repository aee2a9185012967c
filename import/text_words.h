/* The words of a line of text, as the architecture-spec and search-space
 * readers read them: split at blanks, compared, quoted in messages, read as
 * bounded decimal numbers. */
#ifndef MSF_TEXT_WORDS_H
#define MSF_TEXT_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* Of a bad word quoted in a message. */
#define SHOWN_CHARS 40

typedef struct {
    const char *p;
    size_t n;
} token;

/* t as it can be quoted in a message: printable, at most SHOWN_CHARS
 * characters and "..." (into buf, which it returns). */
const char *token_show(token t, char buf[SHOWN_CHARS + 4]);

int token_is(token t, const char *word);

/* The next word of [*s, end) into *t; returns 0 at the end. */
int next_token(const char **s, const char *end, token *t);

/* A decimal integer in [lo, hi] into *v: 0; else -1 and what is wrong with
 * it in msg ("a number is missing", "'x' is not a number", "'x' out of
 * range (lo..hi)"). */
int token_number(token t, int32_t lo, int32_t hi, int32_t *v, char *msg, size_t msg_size);

/* act=: none, relu or relu6 into *act (MSF_ACT_*): 0; else -1 and the
 * message in msg. */
int token_activation(token t, int32_t *act, char *msg, size_t msg_size);

#endif
