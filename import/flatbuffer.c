#include "flatbuffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int fb_fail(const fb_ctx *ctx, const char *fmt, ...)
{
    if (ctx->err && ctx->err_size > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->err, ctx->err_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

uint64_t fb_load(const fb_ctx *ctx, uint32_t pos, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = width; i-- > 0;)
        v = (v << 8) | ctx->buf[(size_t)pos + i];
    return v;
}

int fb_check_range(const fb_ctx *ctx, uint64_t pos, uint64_t n, const char *what)
{
    if (pos > ctx->size || n > ctx->size - pos)
        return fb_fail(ctx, "file truncated: %s at offset %llu needs %llu bytes, file has %zu",
                       what, (unsigned long long)pos, (unsigned long long)n, ctx->size);
    return 0;
}

int fb_follow(const fb_ctx *ctx, uint32_t pos, uint32_t *target)
{
    if (fb_check_range(ctx, pos, 4, "offset") < 0)
        return -1;
    uint64_t t = (uint64_t)pos + fb_load(ctx, pos, 4);
    /* Every target holds at least a 4-byte word (table, vector or string). */
    if (t + 4 > ctx->size)
        return fb_fail(ctx, "offset at %u points to %llu, outside the file's %zu bytes", pos,
                       (unsigned long long)t, ctx->size);
    *target = (uint32_t)t;
    return 0;
}

int fb_root(const fb_ctx *ctx, fb_table *root)
{
    uint32_t pos = 0;
    if (fb_follow(ctx, 0, &pos) < 0)
        return -1;
    return fb_table_at(ctx, pos, root);
}

int fb_table_at(const fb_ctx *ctx, uint32_t pos, fb_table *t)
{
    if (fb_check_range(ctx, pos, 4, "table") < 0)
        return -1;
    int64_t vt = (int64_t)pos - (int32_t)(uint32_t)fb_load(ctx, pos, 4);
    if (vt < 0 || (uint64_t)vt + 4 > ctx->size)
        return fb_fail(ctx, "table at %u: vtable at %lld is outside the file's %zu bytes", pos,
                       (long long)vt, ctx->size);
    t->pos = pos;
    t->vt = (uint32_t)vt;
    t->vt_size = (uint16_t)fb_load(ctx, t->vt, 2);
    t->obj_size = (uint16_t)fb_load(ctx, t->vt + 2, 2);
    if (t->vt_size < 4 || t->vt_size % 2 != 0)
        return fb_fail(ctx, "table at %u: bad vtable size %u", pos, t->vt_size);
    if (t->obj_size < 4)
        return fb_fail(ctx, "table at %u: bad table size %u", pos, t->obj_size);
    if (fb_check_range(ctx, t->vt, t->vt_size, "vtable") < 0 ||
        fb_check_range(ctx, pos, t->obj_size, "table") < 0)
        return -1;
    return 0;
}

int fb_field(const fb_ctx *ctx, const fb_table *t, int id, unsigned width, uint32_t *pos)
{
    uint32_t slot = 4 + 2 * (uint32_t)id;
    if (slot + 2 > t->vt_size)
        return 0;
    uint32_t off = (uint32_t)fb_load(ctx, t->vt + slot, 2);
    if (off == 0)
        return 0;
    if (off < 4 || off + width > t->obj_size)
        return fb_fail(ctx, "table at %u: field %d (%u bytes at +%u) is outside the %u-byte table",
                       t->pos, id, width, off, t->obj_size);
    *pos = t->pos + off;
    return 1;
}

int fb_get_u(const fb_ctx *ctx, const fb_table *t, int id, unsigned width, uint64_t def,
             uint64_t *out)
{
    uint32_t pos = 0;
    int r = fb_field(ctx, t, id, width, &pos);
    *out = r > 0 ? fb_load(ctx, pos, width) : def;
    return r;
}

int fb_get_i8(const fb_ctx *ctx, const fb_table *t, int id, int8_t def, int32_t *out)
{
    uint64_t v = 0;
    int r = fb_get_u(ctx, t, id, 1, (uint8_t)def, &v);
    *out = (int8_t)(uint8_t)v;
    return r;
}

int fb_get_i32(const fb_ctx *ctx, const fb_table *t, int id, int32_t def, int32_t *out)
{
    uint64_t v = 0;
    int r = fb_get_u(ctx, t, id, 4, (uint32_t)def, &v);
    *out = (int32_t)(uint32_t)v;
    return r;
}

int fb_get_u32(const fb_ctx *ctx, const fb_table *t, int id, uint32_t def, uint32_t *out)
{
    uint64_t v = 0;
    int r = fb_get_u(ctx, t, id, 4, def, &v);
    *out = (uint32_t)v;
    return r;
}

static float f32_from_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

int fb_get_f32(const fb_ctx *ctx, const fb_table *t, int id, float def, float *out)
{
    uint64_t v = 0;
    int r = fb_get_u(ctx, t, id, 4, 0, &v);
    *out = r > 0 ? f32_from_bits((uint32_t)v) : def;
    return r;
}

/* Resolves an offset field: 0 absent, 1 present with *target checked. */
static int get_offset(const fb_ctx *ctx, const fb_table *t, int id, uint32_t *target)
{
    uint32_t pos = 0;
    int r = fb_field(ctx, t, id, 4, &pos);
    if (r <= 0)
        return r;
    return fb_follow(ctx, pos, target) < 0 ? -1 : 1;
}

int fb_get_table(const fb_ctx *ctx, const fb_table *t, int id, fb_table *sub)
{
    uint32_t pos = 0;
    int r = get_offset(ctx, t, id, &pos);
    if (r <= 0)
        return r;
    return fb_table_at(ctx, pos, sub) < 0 ? -1 : 1;
}

int fb_vec_at(const fb_ctx *ctx, uint32_t pos, uint32_t elem_size, fb_vec *v)
{
    if (fb_check_range(ctx, pos, 4, "vector") < 0)
        return -1;
    v->len = (uint32_t)fb_load(ctx, pos, 4);
    v->pos = pos + 4;
    v->elem_size = elem_size;
    return fb_check_range(ctx, pos, 4 + (uint64_t)v->len * elem_size, "vector");
}

int fb_get_vec(const fb_ctx *ctx, const fb_table *t, int id, uint32_t elem_size, fb_vec *v)
{
    uint32_t pos = 0;
    int r = get_offset(ctx, t, id, &pos);
    if (r <= 0)
        return r;
    return fb_vec_at(ctx, pos, elem_size, v) < 0 ? -1 : 1;
}

int fb_get_string(const fb_ctx *ctx, const fb_table *t, int id, fb_vec *s)
{
    int r = fb_get_vec(ctx, t, id, 1, s);
    if (r <= 0)
        return r;
    /* The format ends every string with a NUL after its bytes. */
    if (fb_check_range(ctx, (uint64_t)s->pos + s->len, 1, "string terminator") < 0)
        return -1;
    if (ctx->buf[(size_t)s->pos + s->len] != 0)
        return fb_fail(ctx, "string at offset %u is not NUL-terminated", s->pos - 4);
    return 1;
}

int fb_vec_table(const fb_ctx *ctx, const fb_vec *v, uint32_t i, fb_table *t)
{
    uint32_t pos = 0;
    if (i >= v->len)
        return fb_fail(ctx, "element %u of a %u-element vector", i, v->len);
    if (fb_follow(ctx, v->pos + 4 * i, &pos) < 0)
        return -1;
    return fb_table_at(ctx, pos, t);
}

uint64_t fb_vec_u(const fb_ctx *ctx, const fb_vec *v, uint32_t i)
{
    return fb_load(ctx, v->pos + i * v->elem_size, v->elem_size);
}

int64_t fb_vec_i(const fb_ctx *ctx, const fb_vec *v, uint32_t i)
{
    uint64_t u = fb_vec_u(ctx, v, i);
    /* Sign extension by arithmetic: no shifts of negative values. */
    uint64_t sign = (uint64_t)1 << (8 * v->elem_size - 1);
    return (int64_t)((u ^ sign) - sign);
}

float fb_vec_f32(const fb_ctx *ctx, const fb_vec *v, uint32_t i)
{
    return f32_from_bits((uint32_t)fb_vec_u(ctx, v, i));
}
