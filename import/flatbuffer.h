/* Safe reading of untrusted flatbuffers. Positions are byte offsets into the
 * buffer, never pointers, and every one is checked against the buffer size
 * before a byte is read. Loads are little-endian, assembled byte by byte, so
 * no alignment is assumed.
 *
 * Functions that can fail return -1 and write a one-line message into the
 * context's error buffer; field lookups return 0 when the field is absent
 * (the schema default applies) and 1 when it is present. */
#ifndef MSF_FLATBUFFER_H
#define MSF_FLATBUFFER_H

#include <stddef.h>
#include <stdint.h>

/* size must not exceed UINT32_MAX: flatbuffer offsets are 32-bit, so every
 * checked position fits a uint32_t. */
typedef struct {
    const uint8_t *buf;
    size_t size;
    char *err;
    size_t err_size;
} fb_ctx;

/* A table: its position, its vtable's position and the sizes both declare. */
typedef struct {
    uint32_t pos;
    uint32_t vt;
    uint16_t vt_size;
    uint16_t obj_size;
} fb_table;

/* A vector: position of element 0, element count and element size. */
typedef struct {
    uint32_t pos;
    uint32_t len;
    uint32_t elem_size;
} fb_vec;

/* Writes a formatted one-line message into ctx->err; returns -1. */
int fb_fail(const fb_ctx *ctx, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Little-endian unsigned load of width (1, 2, 4 or 8) bytes at pos; the
 * caller has checked the range. */
uint64_t fb_load(const fb_ctx *ctx, uint32_t pos, unsigned width);

/* Checks that [pos, pos + n) lies inside the buffer. */
int fb_check_range(const fb_ctx *ctx, uint64_t pos, uint64_t n, const char *what);

/* The root table (offset at byte 0). */
int fb_root(const fb_ctx *ctx, fb_table *root);

/* Validates the table at pos: its vtable and object lie inside the buffer. */
int fb_table_at(const fb_ctx *ctx, uint32_t pos, fb_table *t);

/* Position of field id (0-based, schema order; a union takes two ids, type
 * then value) holding width bytes: 0 absent, 1 present, -1 error. */
int fb_field(const fb_ctx *ctx, const fb_table *t, int id, unsigned width, uint32_t *pos);

/* Scalar fields: *out gets the stored value or def when absent. */
int fb_get_u(const fb_ctx *ctx, const fb_table *t, int id, unsigned width, uint64_t def,
             uint64_t *out);
int fb_get_i8(const fb_ctx *ctx, const fb_table *t, int id, int8_t def, int32_t *out);
int fb_get_i32(const fb_ctx *ctx, const fb_table *t, int id, int32_t def, int32_t *out);
int fb_get_u32(const fb_ctx *ctx, const fb_table *t, int id, uint32_t def, uint32_t *out);
int fb_get_f32(const fb_ctx *ctx, const fb_table *t, int id, float def, float *out);

/* Follows the uoffset stored at pos; *target is checked to lie in the buffer. */
int fb_follow(const fb_ctx *ctx, uint32_t pos, uint32_t *target);

/* Offset fields: 0 absent, 1 present (and validated), -1 error. */
int fb_get_table(const fb_ctx *ctx, const fb_table *t, int id, fb_table *sub);
int fb_get_vec(const fb_ctx *ctx, const fb_table *t, int id, uint32_t elem_size, fb_vec *v);
int fb_get_string(const fb_ctx *ctx, const fb_table *t, int id, fb_vec *s);

/* Validates the vector whose length word is at pos. */
int fb_vec_at(const fb_ctx *ctx, uint32_t pos, uint32_t elem_size, fb_vec *v);

/* Element i of a vector of tables. */
int fb_vec_table(const fb_ctx *ctx, const fb_vec *v, uint32_t i, fb_table *t);

/* Element i (< v->len) of a scalar vector, zero- or sign-extended. */
uint64_t fb_vec_u(const fb_ctx *ctx, const fb_vec *v, uint32_t i);
int64_t fb_vec_i(const fb_ctx *ctx, const fb_vec *v, uint32_t i);
float fb_vec_f32(const fb_ctx *ctx, const fb_vec *v, uint32_t i);

#endif
