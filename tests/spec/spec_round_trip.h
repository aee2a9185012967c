/* A spec's round trip, shared by the spec tests and the spec fuzzer: what
 * the reader accepts is written as .tflite (the bytes `msf export` writes)
 * and read back by the importer (what `msf info` does with that file), and
 * must come back as the network the reader derived: layer by layer, the
 * operators the layer makes, their MACs and the layer's output shape; then
 * the input's shape and the operator count. Static functions, for one file
 * each. */
#ifndef MSF_SPEC_ROUND_TRIP_H
#define MSF_SPEC_ROUND_TRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "spec_net.h"
#include "spec_reader.h"

enum { SPEC_REFUSED, SPEC_ROUND_TRIP, SPEC_BROKEN };

/* Operators after a layer's linear output (spec_net.h): HARD_SWISH or
 * LOGISTIC; hard-sigmoid's ADD and MUL. */
static int32_t spec_post_ops(int32_t post_act)
{
    return post_act == SPEC_POST_HARD_SIGMOID ? 2 : post_act != SPEC_POST_NONE;
}

/* Operators the writer makes for layer i, and their MACs as the importer
 * counts them (convolutions and fully connected layers only). */
static int32_t spec_layer_ops(const spec_net *net, int32_t i, uint64_t *macs)
{
    int32_t post = spec_post_ops(net->layers[i].post_act);
    const spec_layer *l = &net->layers[i];
    spec_shape in = net->layers[l->input].out, out = l->out;
    uint64_t taps = (uint64_t)l->kh * (uint64_t)l->kw;
    uint64_t outputs = (uint64_t)(out.h ? out.h * out.w : 1) * (uint64_t)out.c;
    uint64_t inputs = (uint64_t)(in.h ? in.h * in.w : 1) * (uint64_t)in.c;
    *macs = 0;
    switch (l->kind) {
    case SPEC_CONV: *macs = outputs * taps * (uint64_t)in.c; return 1 + post;
    case SPEC_DEPTHWISE: *macs = outputs * taps; return 1 + post;
    case SPEC_FC: *macs = inputs * (uint64_t)out.c; return (in.h ? 2 : 1) + post; /* a RESHAPE first */
    case SPEC_GLOBAL_POOL:
        return l->gap_form == SPEC_GAP_NCHW_HW ? 4 : l->gap_form == SPEC_GAP_NCHW_WH ? 3 : 1;
    default: return 1;
    }
}

/* Whether tensor t has the shape s: [1, h, w, c], or [1, c] when h is 0. */
static int spec_shape_is(const msf_tensor *t, spec_shape s)
{
    if (s.h == 0)
        return t->rank == 2 && t->dims[0] == 1 && t->dims[1] == s.c;
    return t->rank == 4 && t->dims[0] == 1 && t->dims[1] == s.h && t->dims[2] == s.w && t->dims[3] == s.c;
}

/* NULL when g is the network net describes, else what differs. */
static const char *spec_graph_differs(const spec_net *net, const msf_graph *g, char *msg, size_t msg_size)
{
    const msf_model *m = &g->model;
    int float_io = net->layers[0].float_io;
    msf_dtype io_type = float_io ? MSF_FLOAT32 : MSF_INT8;
    const msf_tensor *in = &m->tensors[m->inputs[0]];
    /* An NCHW input: 1xCxHxW, a TRANSPOSE to NHWC (after the QUANTIZE). */
    int nchw = net->layers[0].nchw;
    spec_shape s = net->layers[0].out, in_shape = nchw ? (spec_shape){s.c, s.h, s.w} : s;
    if (m->n_inputs != 1 || !spec_shape_is(in, in_shape) || in->dtype != io_type)
        return "the input is not the spec's";
    /* Float I/O: a QUANTIZE first, a DEQUANTIZE last. */
    int32_t op = float_io + nchw;
    if (float_io && (m->n_ops < 2 || m->ops[0].type != MSF_OP_QUANTIZE || m->ops[m->n_ops - 1].type != MSF_OP_DEQUANTIZE))
        return "the float ends are not a QUANTIZE and a DEQUANTIZE";
    if (nchw && (m->n_ops < op || m->ops[op - 1].type != MSF_OP_TRANSPOSE ||
                 !spec_shape_is(&m->tensors[m->ops[op - 1].output], s)))
        return "the NCHW input is not transposed to the spec's NHWC input";
    for (int32_t i = 1; i < net->n; i++) {
        uint64_t want, got = 0;
        int32_t n = spec_layer_ops(net, i, &want);
        for (int32_t k = op; k < op + n && k < m->n_ops; k++)
            got += g->op_macs[k];
        op += n;
        if (op > m->n_ops || got != want || !spec_shape_is(&m->tensors[m->ops[op - 1].output], net->layers[i].out)) {
            snprintf(msg, msg_size, "line %d: the importer's operators %d..%d differ from the layer's "
                     "(%llu MACs, expected %llu; or the output shape)", net->layers[i].line, op - n, op - 1,
                     (unsigned long long)got, (unsigned long long)want);
            return msg;
        }
    }
    if (op + float_io != m->n_ops || m->tensors[m->outputs[0]].dtype != io_type)
        return "the importer finds more operators than the layers make, or the output is not the spec's type";
    return NULL;
}

/* SPEC_REFUSED (msg: the reader's message, which spec_to_tflite must give
 * too), SPEC_ROUND_TRIP (*g built when g is not NULL; the caller frees it),
 * or SPEC_BROKEN (msg: what went wrong). */
static int spec_round_trip(const char *text, size_t len, msf_graph *g, char *msg, size_t msg_size)
{
    spec_net net;
    uint8_t *file;
    size_t size;
    char err[512] = "";
    int read = spec_read(text, len, &net, msg, msg_size);
    int written = spec_to_tflite(text, len, &file, &size, err, sizeof err);
    if (read != 0 || written != 0) {
        int same = read == written && strcmp(msg, err) == 0 && msg[0] != '\0';
        free(net.layers);
        free(file);
        if (same)
            return SPEC_REFUSED;
        snprintf(msg, msg_size, "the reader and the writer disagree: '%s' / '%s'", read ? msg : "",
                 written ? err : "");
        return SPEC_BROKEN;
    }
    msf_graph own;
    msf_graph *built = g ? g : &own;
    if (graph_from_tflite(file, size, built, err, sizeof err) != 0) {
        snprintf(msg, msg_size, "accepted by the reader, refused by the importer: %s", err);
        free(net.layers);
        return SPEC_BROKEN;
    }
    const char *differs = spec_graph_differs(&net, built, err, sizeof err);
    if (differs)
        snprintf(msg, msg_size, "%s", differs);
    free(net.layers);
    if (differs || !g)
        graph_free(built);
    return differs ? SPEC_BROKEN : SPEC_ROUND_TRIP;
}

#endif
