#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msfcnn_cost.h"

/* One layer as msf-CNN sees it: square window, symmetric pad, H x W x C. */
typedef struct {
    int64_t k, s, pad;
    int64_t h, w, c_in;     /* input */
    int64_t oh, ow, c_out;  /* output */
    int64_t macs_per_out;   /* conv C_in*k*k; depthwise and pools k*k */
} layer;

static int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t pad)
{
    return (in + 2 * pad - k) / s + 1;
}

static int64_t input_bytes(const layer *l)
{
    return l->h * l->w * l->c_in;
}

static int64_t output_bytes(const layer *l)
{
    return l->oh * l->ow * l->c_out;
}

static int pad_fits(const layer *l, int64_t pad)
{
    return out_size(l->h, l->k, l->s, pad) == l->oh && out_size(l->w, l->k, l->s, pad) == l->ow;
}

/* The window, stride and the kernel's MACs per output element of op; 0 if
 * msf-CNN's accounting has no such layer. */
static int window(const msf_op *op, int64_t c_in, int64_t k_hw[2], int64_t s_hw[2], int64_t *per_k2)
{
    switch (op->type) {
    case MSF_OP_CONV2D:
    case MSF_OP_DEPTHWISE_CONV2D:
        k_hw[0] = op->p.conv.kernel_h, k_hw[1] = op->p.conv.kernel_w;
        s_hw[0] = op->p.conv.stride_h, s_hw[1] = op->p.conv.stride_w;
        *per_k2 = op->type == MSF_OP_CONV2D ? c_in : 1;
        return 1;
    case MSF_OP_AVERAGE_POOL2D:
    case MSF_OP_MAX_POOL2D:
        k_hw[0] = op->p.pool.filter_h, k_hw[1] = op->p.pool.filter_w;
        s_hw[0] = op->p.pool.stride_h, s_hw[1] = op->p.pool.stride_w;
        *per_k2 = 1;
        return 1;
    default:
        return 0;
    }
}

/* Fills *l for op i; -1 with a message when msf-CNN does not model it. */
static int describe(const msf_graph *g, int32_t i, layer *l, char *err, size_t err_size)
{
    const msf_model *m = &g->model;
    const msf_op *op = &m->ops[i];
    const char *name = tflite_op_name(g->tfl.ops[i].opcode);
    int32_t in = i == 0 ? m->inputs[0] : m->ops[i - 1].output, din[4], dout[4];
    int64_t k[2], s[2], per_k2;
    msf_dims4(&m->tensors[op->inputs[0]], din);
    msf_dims4(&m->tensors[op->output], dout);
    if (!window(op, din[3], k, s, &per_k2)) {
        snprintf(err, err_size,
                 "operator %d (%s): msf-CNN's accounting covers chains of convolutions, depthwise "
                 "convolutions and pools only", i, name);
        return -1;
    }
    if (op->inputs[0] != in) {
        snprintf(err, err_size, "operator %d (%s) does not read %s: msf-CNN's accounting covers chains only",
                 i, name, i == 0 ? "the model input" : "the previous operator's output");
        return -1;
    }
    if (k[0] != k[1] || s[0] != s[1]) {
        snprintf(err, err_size, "operator %d (%s): msf-CNN's accounting covers square kernels and strides only",
                 i, name);
        return -1;
    }
    *l = (layer){.k = k[0], .s = s[0], .h = din[1], .w = din[2], .c_in = din[3],
                 .oh = dout[1], .ow = dout[2], .c_out = dout[3], .macs_per_out = per_k2 * k[0] * k[0]};
    /* PyTorch's pad for TFLite's SAME, else VALID (see the header). */
    if (pad_fits(l, (l->k - 1) / 2)) {
        l->pad = (l->k - 1) / 2;
        return 0;
    }
    if (pad_fits(l, 0)) {
        l->pad = 0;
        return 0;
    }
    snprintf(err, err_size, "operator %d (%s): output %dx%d is neither PyTorch pad (k-1)/2 nor pad 0", i, name,
             dout[1], dout[2]);
    return -1;
}

static int describe_chain(const msf_graph *g, layer *layers, char *err, size_t err_size)
{
    const msf_model *m = &g->model;
    if (m->n_inputs != 1 || m->n_outputs != 1 || m->n_ops < 1 || m->ops[m->n_ops - 1].output != m->outputs[0]) {
        snprintf(err, err_size, "msf-CNN's accounting covers chains from one input to one output, written by "
                                "the last operator");
        return -1;
    }
    for (int32_t i = 0; i < m->n_ops; i++)
        if (describe(g, i, &layers[i], err, err_size))
            return -1;
    return 0;
}

/* The tile height (and width) at the block input and its stride there, for a
 * 1x1 output tile: walk back from the block output, padding ignored. */
static void block_tile(const layer *L, int32_t a, int32_t b, int64_t *t, int64_t *stride)
{
    *t = 1, *stride = 1;
    for (int32_t l = b; l >= a; l--) {
        *t = (*t - 1) * L[l].s + L[l].k;
        *stride *= L[l].s;
    }
}

/* The H-cache buffers, k x tile height x C_in per layer (the first layer
 * and 1x1 layers included, as msf-CNN counts them). msf-CNN's tile walk
 * overwrites each buffer's size on every tile row, so the size it reports
 * is the last row's: at the bottom border, where a layer's tile gains its
 * pad (and its top pad too if the row also counts as the top). It places
 * the row at layer l by dividing the row index by the strides up to and
 * including l's; we repeat that. */
static int64_t block_buffers(const layer *L, int32_t a, int32_t b, int64_t t, int64_t stride)
{
    int64_t row = (L[a].h - t) / stride * stride, h = t, scale = 1, bytes = 0;
    for (int32_t l = a; l <= b; l++) {
        bytes += L[l].k * h * L[l].c_in;
        scale *= L[l].s;
        int64_t at = row / scale, rows = h - L[l].k;
        if (at == 0)
            rows += L[l].pad;
        if (at + h >= L[l].h)
            rows += L[l].pad;
        h = rows / L[l].s + 1;
    }
    return bytes;
}

/* MACs of the fused block: rows are recomputed where neighbouring tiles
 * overlap, columns are computed once (the H-cache). */
static int64_t block_macs(const layer *L, int32_t a, int32_t b, int64_t t, int64_t stride)
{
    int64_t macs = 0;
    for (int32_t l = a; l <= b; l++) {
        int64_t outer_h = (L[l].h + 2 * L[l].pad - t) / stride + 1;
        int64_t outer_w = out_size(L[l].w, L[l].k, L[l].s, L[l].pad);
        int64_t inner_h = (t - L[l].k) / L[l].s + 1;
        macs += outer_h * outer_w * inner_h * L[l].c_out * L[l].macs_per_out;
        t = inner_h;
        stride /= L[l].s;
    }
    return macs;
}

/* The edge running layers a..b of n; 0 when the tile does not fit. As in
 * msf-CNN, the network's input and output are not counted. */
static int block_edge(const layer *L, int32_t n, int32_t a, int32_t b, fusion_edge *e)
{
    int64_t ram, macs;
    if (a == b) {
        ram = 0;
        macs = output_bytes(&L[a]) * L[a].macs_per_out;
    } else {
        int64_t t, stride;
        block_tile(L, a, b, &t, &stride);
        if (t > L[a].h || t > L[a].w)
            return 0;
        ram = block_buffers(L, a, b, t, stride);
        macs = block_macs(L, a, b, t, stride);
    }
    ram += (a > 0 ? input_bytes(&L[a]) : 0) + (b < n - 1 ? output_bytes(&L[b]) : 0);
    *e = (fusion_edge){a, b + 1, 0, (uint64_t)ram, (uint64_t)macs};
    return 1;
}

int msfcnn_init(msfcnn_model *m, const msf_graph *g, char *err, size_t err_size)
{
    memset(m, 0, sizeof *m);
    int32_t n = g->model.n_ops;
    layer *layers = malloc((size_t)(n > 0 ? n : 1) * sizeof *layers);
    m->edges = malloc(((size_t)n * (size_t)(n + 1) / 2 + 1) * sizeof *m->edges);
    int rc = 0;
    if (!layers || !m->edges) {
        snprintf(err, err_size, "out of memory");
        rc = MSFCNN_NOMEM;
    } else if (describe_chain(g, layers, err, err_size)) {
        rc = MSFCNN_UNSUPPORTED;
    }
    for (int32_t a = 0; a < n && rc == 0; a++)
        for (int32_t b = a; b < n; b++)
            if (block_edge(layers, n, a, b, &m->edges[m->graph.n_edges])) {
                if (a == b)
                    m->vanilla_macs += m->edges[m->graph.n_edges].macs;
                m->graph.n_edges++;
            }
    free(layers);
    if (rc) {
        msfcnn_free(m);
        return rc;
    }
    m->graph.n_layers = n;
    m->graph.edges = m->edges;
    return 0;
}

void msfcnn_free(msfcnn_model *m)
{
    free(m->edges);
    memset(m, 0, sizeof *m);
}

int msfcnn_p2(const msfcnn_model *m, uint64_t limit, plan_path *path)
{
    if (limit == 0) {
        memset(path, 0, sizeof *path);
        return PLAN_INFEASIBLE;
    }
    return plan_p2_min_macs(&m->graph, limit - 1, path);
}
