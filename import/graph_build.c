/* From the file's structs to the runtime model: tensor conversion, the
 * per-operator builders (op_build.c), and the checks that make the model
 * safe to run: every activation produced before it is read, once, and every
 * graph output produced. */
#include <stdio.h>
#include <string.h>

#include "file_io.h"
#include "graph.h"
#include "op_build.h"

#define MAX_FILE_BYTES (1u << 28)

/* Tensors msf does not compute with (other types, rank > 4) keep rank -1 so
 * that any operator using them is refused by name. */
static int convert_tensor(const tfl_tensor *src, int32_t index, msf_tensor *dst, char *err, size_t err_size)
{
    dst->rank = -1;
    dst->data = src->data_bytes ? src->data : NULL;
    if (src->n_scales > 0) {
        dst->scale = src->scales[0];
        /* Weights of a dead channel may have scale 0; activations may not.
         * The comparisons also refuse NaN. */
        float least = dst->data ? 0.0f : 1e-30f;
        for (int32_t i = 0; i < src->n_scales; i++)
            if (!(src->scales[i] >= least && src->scales[i] < 3.0e38f))
                return graph_fail(err, err_size, "tensor %d (%s): scale %g is out of range", index,
                                  src->name, (double)src->scales[i]);
        dst->zero_point = src->n_zero_points > 0 ? (int32_t)src->zero_points[0] : 0;
        if (src->n_zero_points > 0 && (src->zero_points[0] < -128 || src->zero_points[0] > 127) &&
            src->type == TFL_TYPE_INT8)
            return graph_fail(err, err_size, "tensor %d (%s): zero point %lld outside int8", index,
                              src->name, (long long)src->zero_points[0]);
    }
    if (src->type == TFL_TYPE_INT8 && !dst->data && src->n_scales == 0)
        return graph_fail(err, err_size, "tensor %d (%s): int8 activation without quantization parameters",
                          index, src->name);
    switch (src->type) {
    case TFL_TYPE_INT8: dst->dtype = MSF_INT8; break;
    case TFL_TYPE_INT32: dst->dtype = MSF_INT32; break;
    case TFL_TYPE_FLOAT32: dst->dtype = MSF_FLOAT32; break;
    default: return 0;
    }
    if (src->rank > MSF_MAX_RANK)
        return 0;
    uint64_t bytes = tflite_type_size(src->type);
    for (int32_t i = 0; i < src->rank; i++) {
        if (src->shape[i] <= 0)
            return graph_fail(err, err_size, "tensor %d (%s): dimension %d is %d", index, src->name, i,
                              src->shape[i]);
        dst->dims[i] = src->shape[i];
        bytes *= (uint64_t)src->shape[i];
        if (bytes > MAX_FILE_BYTES)
            return graph_fail(err, err_size, "tensor %d (%s): %llu bytes is too large", index,
                              src->name, (unsigned long long)bytes);
    }
    dst->rank = src->rank;
    dst->bytes = (uint32_t)bytes;
    return 0;
}

/* Activations must be produced before they are read, by one op only; a graph
 * input is produced "before op 0". This also rules out cycles. Fills
 * g->producer, g->readers and g->last_reader on the way. */
static int check_dataflow(msf_graph *g, char *err, size_t err_size)
{
    int32_t n = g->model.n_tensors;
    int32_t *producer = g->producer, *readers = g->readers;
    for (int32_t t = 0; t < n; t++)
        producer[t] = -2, g->last_reader[t] = -1; /* not produced, not read */
    int rc = 0;
    for (int32_t i = 0; i < g->model.n_inputs && rc == 0; i++) {
        int32_t t = g->model.inputs[i];
        if (g->tensors[t].data)
            rc = graph_fail(err, err_size, "graph input tensor %d is a constant", t);
        else if (g->tensors[t].rank < 0)
            rc = graph_fail(err, err_size, "graph input tensor %d (%s): type or rank not supported", t,
                            g->tfl.tensors[t].name);
        producer[t] = -1;
    }
    for (int32_t o = 0; o < g->model.n_ops && rc == 0; o++) {
        const msf_op *op = &g->ops[o];
        for (int32_t k = 0; k < op->n_inputs && rc == 0; k++) {
            int32_t t = op->inputs[k];
            readers[t]++;
            g->last_reader[t] = o;
            if (!g->tensors[t].data && producer[t] == -2)
                rc = graph_fail(err, err_size,
                                "operator %d (%s): input tensor %d is read before any operator produces it "
                                "(graph out of order or cyclic)",
                                o, tflite_op_name(g->tfl.ops[o].opcode), t);
        }
        int32_t t = op->output;
        if (rc == 0 && (g->tensors[t].data || producer[t] != -2))
            rc = graph_fail(err, err_size, "operator %d (%s): output tensor %d is already %s", o,
                            tflite_op_name(g->tfl.ops[o].opcode), t,
                            g->tensors[t].data ? "a constant" : "produced");
        producer[t] = o;
    }
    for (int32_t i = 0; i < g->model.n_outputs && rc == 0; i++) {
        int32_t t = g->model.outputs[i];
        readers[t]++;
        g->last_reader[t] = g->model.n_ops;
        if (producer[t] == -2)
            rc = graph_fail(err, err_size, "graph output tensor %d is never produced", t);
    }
    return rc;
}

static int32_t *copy_indices(msf_graph *g, const int32_t *src, int32_t n)
{
    int32_t *dst = graph_alloc(g, (size_t)n * sizeof *dst);
    if (dst && n)
        memcpy(dst, src, (size_t)n * sizeof *dst);
    return dst;
}

static int check_io_list(const int32_t *list, int32_t n, int32_t n_tensors, const char *what, char *err,
                         size_t err_size)
{
    if (n == 0)
        return graph_fail(err, err_size, "the graph has no %ss", what);
    for (int32_t i = 0; i < n; i++)
        if (list[i] < 0 || list[i] >= n_tensors)
            return graph_fail(err, err_size, "graph %s %d: tensor index %d out of range", what, i, list[i]);
    return 0;
}

/* Converts every operator even after one fails, so that all of a model's
 * unsupported operators are named at once, not one per attempt; the list is
 * cut short (with "...") when it outgrows the message. */
static int build_ops(msf_graph *g, char *err, size_t err_size)
{
    char one[512], list[1536] = "";
    int32_t failed = 0, cut = 0;
    for (int32_t i = 0; i < g->tfl.n_ops; i++) {
        if (op_build(g, i, one, sizeof one) == 0)
            continue;
        size_t used = strlen(list);
        if (!cut && used + strlen(one) + 8 < sizeof list)
            snprintf(list + used, sizeof list - used, "%s%s", failed ? "; " : "", one);
        else if (!cut++)
            snprintf(list + used, sizeof list - used, "; ...");
        failed++;
    }
    if (failed == 1)
        return graph_fail(err, err_size, "%s", list);
    if (failed > 1)
        return graph_fail(err, err_size, "%d operators msf cannot run: %s", failed, list);
    return 0;
}

static int build(msf_graph *g, char *err, size_t err_size)
{
    if (tflite_read(g->file, g->file_size, &g->tfl, err, err_size) != 0)
        return -1;
    const tfl_model *t = &g->tfl;
    if (t->n_ops == 0)
        return graph_fail(err, err_size, "the graph has no operators");
    if (t->n_ops > GRAPH_MAX_OPS)
        return graph_fail(err, err_size, "%d operators, over msf's limit of %d", t->n_ops, GRAPH_MAX_OPS);
    if (check_io_list(t->inputs, t->n_inputs, t->n_tensors, "input", err, err_size) ||
        check_io_list(t->outputs, t->n_outputs, t->n_tensors, "output", err, err_size))
        return -1;
    g->tensors = graph_alloc(g, (size_t)t->n_tensors * sizeof *g->tensors);
    g->ops = graph_alloc(g, (size_t)t->n_ops * sizeof *g->ops);
    g->op_macs = graph_alloc(g, (size_t)t->n_ops * sizeof *g->op_macs);
    g->op_weight_bytes = graph_alloc(g, (size_t)t->n_ops * sizeof *g->op_weight_bytes);
    g->producer = graph_alloc(g, (size_t)t->n_tensors * sizeof *g->producer);
    g->readers = graph_alloc(g, (size_t)t->n_tensors * sizeof *g->readers);
    g->last_reader = graph_alloc(g, (size_t)t->n_tensors * sizeof *g->last_reader);
    int32_t *inputs = copy_indices(g, t->inputs, t->n_inputs);
    int32_t *outputs = copy_indices(g, t->outputs, t->n_outputs);
    if (!g->tensors || !g->ops || !g->op_macs || !g->op_weight_bytes || !g->producer || !g->readers || !g->last_reader || !inputs ||
        !outputs)
        return graph_fail(err, err_size, "out of memory");
    for (int32_t i = 0; i < t->n_tensors; i++)
        if (convert_tensor(&t->tensors[i], i, &g->tensors[i], err, err_size))
            return -1;
    g->model = (msf_model){.tensors = g->tensors, .n_tensors = t->n_tensors, .ops = g->ops,
                           .n_ops = t->n_ops, .inputs = inputs, .n_inputs = t->n_inputs,
                           .outputs = outputs, .n_outputs = t->n_outputs};
    if (build_ops(g, err, err_size))
        return -1;
    return check_dataflow(g, err, err_size);
}

int graph_from_tflite(uint8_t *buf, size_t size, msf_graph *g, char *err, size_t err_size)
{
    memset(g, 0, sizeof *g);
    g->file = buf;
    g->file_size = size;
    if (build(g, err, err_size) == 0)
        return 0;
    graph_free(g);
    return -1;
}

int graph_load_file(const char *path, msf_graph *g, char *err, size_t err_size)
{
    memset(g, 0, sizeof *g);
    uint8_t *buf;
    size_t size;
    if (read_whole_file(path, MAX_FILE_BYTES, &buf, &size, err, err_size))
        return -1;
    if (graph_from_tflite(buf, size, g, err, err_size) == 0)
        return 0;
    /* Prefix the file name so the user knows which input was bad. */
    char msg[2048];
    snprintf(msg, sizeof msg, "%s", err);
    return graph_fail(err, err_size, "%s: %s", path, msg);
}

int graph_is_activation(const msf_graph *g, int32_t t)
{
    return !g->tensors[t].data && g->producer[t] != -2;
}
